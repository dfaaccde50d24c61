"""HTTP revalidation for public pages: an ETag from the register's state, 304 when unchanged."""
import hashlib

from flask import Response, make_response, request
from sqlalchemy import func, select

from tracker.extensions import db
from tracker.recommendations.models import Recommendation, StatusChange


def register_fingerprint() -> tuple[str, object]:
    # One cheap query: any status change or register edit moves one of these.
    row = db.session.execute(select(func.max(Recommendation.updated_at), func.sum(Recommendation.version),
                                    func.count(Recommendation.id),
                                    select(func.max(StatusChange.id)).scalar_subquery())).one()
    raw = "|".join(str(v) for v in row) + "|" + (request.full_path or "") + "|" + str(request.accept_languages)
    return hashlib.sha256(raw.encode()).hexdigest()[:32], row[0]


def not_modified_or(render) -> Response:
    """Answer 304 on revalidation; otherwise call render() and tag the response."""
    etag, last_modified = register_fingerprint()
    if request.if_none_match.contains(etag) or (
            not request.if_none_match and last_modified and request.if_modified_since
            and request.if_modified_since >= last_modified.replace(microsecond=0)):
        response = Response(status=304)
    else:
        response = render()
        response = make_response(response)
    response.set_etag(etag)
    if last_modified:
        response.last_modified = last_modified
    response.cache_control.public = True
    response.cache_control.max_age = 60
    response.vary.add("Accept-Language")
    return response
