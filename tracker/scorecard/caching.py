"""HTTP revalidation for public pages: an ETag from the register's state, 304 when unchanged, and the
rendered bytes kept per ETag so an anonymous 200 costs one cheap query, not a render."""
import hashlib
import threading
from collections import OrderedDict

from flask import Response, make_response, request, session
from flask_login import current_user
from sqlalchemy import func, select

from tracker.extensions import db
from tracker.indicators.models import IndicatorPoint
from tracker.legislation.models import BillStage
from tracker.recommendations.models import Recommendation, StatusChange

RENDER_CACHE_SIZE = 128
_rendered: "OrderedDict[str, tuple[bytes, str, dict]]" = OrderedDict()
_lock = threading.Lock()


def register_fingerprint(user_id: int | None) -> tuple[str, object]:
    # One cheap query: any status change, register edit or recorded bill stage moves one of these.
    # evidence_checked_at: a title looked up in the background after the save changes what pages show.
    row = db.session.execute(select(func.max(Recommendation.updated_at), func.sum(Recommendation.version),
                                    func.count(Recommendation.id),
                                    select(func.max(StatusChange.id)).scalar_subquery(),
                                    select(func.max(StatusChange.evidence_checked_at)).scalar_subquery(),
                                    # Indicator data points show on recommendation pages too.
                                    select(func.max(IndicatorPoint.updated_at)).scalar_subquery(),
                                    select(func.sum(IndicatorPoint.version)).scalar_subquery(),
                                    select(func.count(IndicatorPoint.id)).scalar_subquery(),
                                    # a recorded bill stage shows on its recommendations' pages
                                    select(func.max(BillStage.id)).scalar_subquery())).one()
    raw = "|".join(str(v) for v in row) + f"|{request.full_path}|{request.accept_languages}|{user_id}"
    changed = [t for t in (row[0], row[4], row[5]) if t is not None]
    return hashlib.sha256(raw.encode()).hexdigest()[:32], max(changed) if changed else None


def not_modified_or(render) -> Response:
    """Answer 304 on revalidation; otherwise serve the cached rendering or call render()."""
    user_id = current_user.get_id() if current_user.is_authenticated else None
    # A page showing a one-off message (a flash) is personal too: neither served from nor kept in the cache.
    shareable = user_id is None and not session.get("_flashes")
    etag, last_modified = register_fingerprint(user_id)
    if request.if_none_match.contains(etag) or (
            not request.if_none_match and last_modified and request.if_modified_since
            and request.if_modified_since >= last_modified.replace(microsecond=0)):
        response = Response(status=304)
    elif shareable and (cached := _cached(etag)):
        body, mimetype, headers = cached
        response = Response(body, mimetype=mimetype, headers=headers)
    else:
        response = make_response(render())
        if shareable and response.status_code == 200:
            _remember(etag, response)
    response.set_etag(etag)
    if last_modified:
        response.last_modified = last_modified
    if user_id is None:
        response.cache_control.public = True
        response.cache_control.max_age = 60
    else:  # staff pages carry a name and a CSRF token: never in a shared cache
        response.cache_control.private = True
        response.cache_control.no_cache = True
    response.vary.add("Accept-Language")
    response.vary.add("Cookie")
    return response


def _cached(etag: str):
    with _lock:
        hit = _rendered.get(etag)
        if hit:
            _rendered.move_to_end(etag)
        return hit


def _remember(etag: str, response: Response) -> None:
    headers = {k: v for k, v in response.headers.items()
               if k.lower() in ("content-disposition",)}
    with _lock:
        _rendered[etag] = (response.get_data(), response.mimetype, headers)
        while len(_rendered) > RENDER_CACHE_SIZE:
            _rendered.popitem(last=False)
