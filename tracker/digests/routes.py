"""Public subscription pages, the staff account page, and the admin outbox and preview."""
import logging
from email import message_from_string, policy

from flask import Blueprint, current_app, flash, make_response, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select
from wtforms import SelectChoice

from tracker.auth.decorators import staff_required
from tracker.edge import int_arg, url_with_args
from tracker.errors import DomainError, Forbidden, InvalidInput, NotFound, attach_to_form
from tracker.auth.models import User
from tracker.digests import operations, queries
from tracker.digests.compose import Recipient
from tracker.digests.forms import RetryForm, StaffDigestForm, SubscribeForm
from tracker.digests.models import OutboxMessage
from tracker.digests.outbox import requeue
from tracker.extensions import csrf, db, limiter
from tracker.i18n import current_language, localized
from tracker.recommendations.models import Stakeholder

bp = Blueprint("digests", __name__)
log = logging.getLogger(__name__)


def _subscribe_limit() -> str:
    return current_app.config.get("TRACKER_SUBSCRIBE_RATE_LIMIT", "5 per minute; 30 per hour")


@bp.route("/subscribe", methods=["GET", "POST"])
@limiter.limit(_subscribe_limit, methods=["POST"])
def subscribe():
    form = SubscribeForm()
    stakeholders = db.session.scalars(select(Stakeholder).order_by(Stakeholder.position, Stakeholder.name)).all()
    form.stakeholder.choices = [SelectChoice(s.slug, localized(s.name, s.name_ur)) for s in stakeholders]
    if request.method == "GET" and not form.stakeholder.data:
        known = {s.slug for s in stakeholders}
        form.stakeholder.data = [s for s in request.args.getlist("stakeholder") if s in known]
    if not form.language.raw_data:  # not sent (a GET, or an older form): the page's own language
        form.language.data = current_language()
    if form.validate_on_submit():
        req = operations.SubscribeRequest(email=form.email.data, frequency=form.frequency.data,
                                          stakeholders=form.stakeholder.data or [], name=form.name.data or "",
                                          locale=form.language.data)
        try:
            operations.request_subscription(db.session, req)
        except DomainError as exc:
            attach_to_form(form, exc, "email")
        else:
            # The same page whether the address is new, pending, subscribed or was rate-capped, and the same
            # work: the confirmation is only queued here; the outbox job sends it (no SMTP in the request,
            # so the answer's timing does not tell a capped address from a new one).
            return render_template("digests/subscribe_sent.html")
    return render_template("digests/subscribe.html", form=form), (400 if form.errors else 200)


@bp.get("/subscribe/confirm/<token>")
def confirm(token: str):
    sub = operations.confirm_subscription(db.session, token)
    if sub is None:
        return render_template("digests/link_invalid.html", purpose="confirm"), 404
    rows = db.session.execute(select(Stakeholder.name, Stakeholder.name_ur)
                              .where(Stakeholder.slug.in_(sub.stakeholder_slugs))
                              .order_by(Stakeholder.position)).all() if sub.stakeholder_slugs else []
    names = [localized(name, name_ur) for name, name_ur in rows]
    return render_template("digests/confirmed.html", sub=sub, stakeholder_names=names)


@bp.route("/unsubscribe/<token>", methods=["GET", "POST"])
@csrf.exempt  # RFC 8058 one-click: the mail client POSTs "List-Unsubscribe=One-Click"; the token is the secret
def unsubscribe(token: str):
    if request.method == "GET":
        # Looking never unsubscribes (link scanners GET): the page has the button that POSTs here.
        if operations.valid_token(db.session, token, "unsubscribe") is None:
            return render_template("digests/link_invalid.html", purpose="unsubscribe"), 404
        return render_template("digests/unsubscribe.html", token=token)
    sub = operations.unsubscribe(db.session, token)
    if sub is None:
        return render_template("digests/link_invalid.html", purpose="unsubscribe"), 404
    return render_template("digests/unsubscribed.html", staff=sub.is_staff)


@bp.route("/account", methods=["GET", "POST"])
@login_required
def account():
    user = current_user._get_current_object()
    may_have_digest = user.role in queries.STAFF_ROLES
    sub = operations.staff_subscription(db.session, user) if may_have_digest else None
    form = StaffDigestForm(data={"enabled": sub is None or sub.state == "active",
                                 "frequency": sub.frequency if sub else "daily",
                                 "language": sub.locale if sub else current_language()})
    if may_have_digest and form.validate_on_submit():
        try:
            operations.set_staff_preferences(db.session, user, enabled=form.enabled.data,
                                             frequency=form.frequency.data, locale=form.language.data)
        except DomainError as exc:
            attach_to_form(form, exc, "language" if exc.field == "language" else "frequency")
        else:
            flash(_("Digest settings saved."))
            return redirect(url_for("digests.account"))
    elif request.method == "POST" and not may_have_digest:
        raise Forbidden(_("Only editors and admins receive a staff digest."))
    return render_template("account/index.html", form=form, sub=sub, may_have_digest=may_have_digest), \
        (400 if form.errors else 200)


@bp.get("/admin/outbox")
@staff_required("preview_digests")
def outbox():
    staff = db.session.scalars(select(User).where(User.role.in_(queries.STAFF_ROLES), User.active.is_(True))
                               .order_by(User.email)).all()
    return render_template("digests/outbox.html", rows=queries.outbox_needing_attention(db.session),
                           counts=queries.outbox_counts(db.session), staff=staff, retry_form=RetryForm())


@bp.post("/admin/outbox/<int:message_id>/retry")
@staff_required("preview_digests")
def retry(message_id: int):
    message = db.get_or_404(OutboxMessage, message_id)
    if not RetryForm().validate_on_submit():
        flash(_("Invalid form."), "error")
        return redirect(url_for("digests.outbox"))
    try:
        requeue(db.session, message)
    except DomainError as exc:
        flash(exc.message, "error")
        return redirect(url_for("digests.outbox"))
    flash(_("Message %(id)s will be sent again within a minute.", id=message_id))
    return redirect(url_for("digests.outbox"))


def _preview_recipient() -> Recipient:
    sub_id = int_arg("subscription", None)
    user_id = int_arg("user", None)
    if sub_id is None and user_id is None:
        raise InvalidInput(_("Say whose digest to preview: ?subscription=ID or ?user=ID."))
    recipient = queries.recipient_for(db.session, subscription_id=sub_id, user_id=user_id)
    if recipient is None and user_id is not None:
        user = db.get_or_404(User, user_id)
        if user.role not in queries.STAFF_ROLES:
            raise NotFound(_("Only editors and admins receive a staff digest."))
        # No digest has been built for this account yet: it would get the default, from the beginning.
        recipient = Recipient(subscription_id=0, email=user.email, name=user.name, staff_role=user.role)
    if recipient is None:
        raise NotFound(_("No such subscription."))
    return recipient


@bp.get("/admin/digests/preview")
@staff_required("preview_digests")
def preview():
    recipient = _preview_recipient()
    period, digest, mail = operations.preview_digest(db.session, recipient)
    text = None
    if mail is not None:
        parsed = message_from_string(mail.message, policy=policy.default)
        text = parsed.get_body(preferencelist=("plain",)).get_content()
    groups = db.session.execute(select(Stakeholder.name, Stakeholder.name_ur)
                                .where(Stakeholder.slug.in_(recipient.stakeholders or []))
                                .order_by(Stakeholder.position)).all()
    return render_template("digests/preview.html", recipient=recipient, period=period, digest=digest, mail=mail,
                           text=text, html_url=url_with_args("digests.preview_html"),
                           stakeholder_names=[localized(name, name_ur) for name, name_ur in groups])


@bp.get("/admin/digests/preview.html")
@staff_required("preview_digests")
def preview_html():
    """The e-mail's own HTML, framed by the preview page; it has inline styles, so its own CSP."""
    _period, _digest, mail = operations.preview_digest(db.session, _preview_recipient())
    if mail is None:
        raise NotFound(_("Nothing new: no digest would be sent."))
    html = message_from_string(mail.message, policy=policy.default).get_body(preferencelist=("html",)).get_content()
    response = make_response(html)
    response.headers["Content-Security-Policy"] = ("default-src 'none'; style-src 'unsafe-inline'; img-src data:; "
                                                   "frame-ancestors 'self'")
    response.headers["X-Frame-Options"] = "SAMEORIGIN"
    return response

