"""Digest and confirmation mails from the Jinja templates under templates/digests/ (no database).

Texts go through Flask-Babel in the recipient's own locale; links are absolute from TRACKER_BASE_URL;
the HTML carries lang/dir so a right-to-left edition needs no new template.
"""
from dataclasses import dataclass
from datetime import datetime
from email.utils import make_msgid, parseaddr
from urllib.parse import quote

from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_babel import ngettext

from tracker.digests.compose import PublicDigest, StaffDigest, build_message

RTL_LANGUAGES = {"ur", "ar", "fa", "ps", "sd"}


@dataclass(frozen=True)
class MailSettings:
    base_url: str
    sender: str
    tz: str

    @classmethod
    def from_app(cls) -> "MailSettings":
        cfg = current_app.config
        return cls(base_url=cfg["TRACKER_BASE_URL"].rstrip("/"), sender=cfg["TRACKER_MAIL_FROM"],
                   tz=cfg.get("TRACKER_DISPLAY_TZ", "Asia/Karachi"))

    @property
    def sender_address(self) -> str:
        return parseaddr(self.sender)[1] or self.sender

    def url(self, path: str) -> str:
        return self.base_url + path

    def new_message_id(self) -> str:
        domain = self.sender_address.rpartition("@")[2] or "tracker.invalid"
        return make_msgid("digest", domain=domain)


@dataclass(frozen=True)
class RenderedMail:
    subject: str
    message: str  # the full MIME message
    message_id: str


def _direction(locale: str) -> str:
    return "rtl" if locale.split("_")[0] in RTL_LANGUAGES else "ltr"


def _render(template: str, /, **context) -> str:
    return current_app.jinja_env.get_template(template).render(**context)


def _digest_subject(digest: PublicDigest | StaffDigest) -> str:
    if isinstance(digest, PublicDigest):
        if not digest.changes:
            return ngettext("NCRC tracker: %(num)s new indicator figure", "NCRC tracker: %(num)s new indicator figures",
                            len(digest.points))
        return ngettext("NCRC tracker: %(num)s status update", "NCRC tracker: %(num)s status updates",
                        len(digest.changes))
    parts = []
    if digest.new_suggestions:
        parts.append(ngettext("%(num)s suggestion to review", "%(num)s suggestions to review",
                              digest.new_suggestions))
    if digest.new_stale:
        parts.append(ngettext("%(num)s recommendation gone stale", "%(num)s recommendations gone stale",
                              digest.new_stale))
    if digest.feeds_failing:
        parts.append(ngettext("%(num)s feed failing", "%(num)s feeds failing", len(digest.feeds_failing)))
    return _("NCRC tracker staff digest: %(what)s", what=", ".join(parts))


def render_digest(digest: PublicDigest | StaffDigest, settings: MailSettings, *, unsubscribe_token: str,
                  now: datetime, period: str) -> RenderedMail:
    r = digest.recipient
    unsubscribe_url = settings.url(f"/unsubscribe/{unsubscribe_token}")
    mailto = f"mailto:{settings.sender_address}?subject={quote('unsubscribe ' + unsubscribe_token)}"
    with force_locale(r.locale):
        context = dict(d=digest, r=r, s=settings, lang=r.locale, text_dir=_direction(r.locale), period=period,
                       unsubscribe_url=unsubscribe_url, now=now,
                       manage_url=settings.url("/account" if r.is_staff else "/subscribe"))
        template = "digests/staff" if r.is_staff else "digests/public"
        subject = _digest_subject(digest)
        text = _render(template + ".txt", subject=subject, **context)
        html = _render(template + ".html", subject=subject, **context)
    message_id = settings.new_message_id()
    # Only staff names (set by an admin) go into To:; a subscriber's is a stranger's free text.
    message = build_message(sender=settings.sender, recipient=r.email, recipient_name=r.name if r.is_staff else "",
                            subject=subject, text=text, html=html, message_id=message_id, date=now, lang=r.locale,
                            unsubscribe_url=unsubscribe_url, unsubscribe_mailto=mailto)
    return RenderedMail(subject, message, message_id)


def render_confirmation(*, email: str, locale: str, confirm_token: str, frequency: str,
                        stakeholder_names: list[str], settings: MailSettings, now: datetime,
                        valid_days: int) -> RenderedMail:
    """Anyone can ask for this mail to anyone: so it carries no text of the asker's (no name in the greeting
    or the To: line), only ours."""
    confirm_url = settings.url(f"/subscribe/confirm/{confirm_token}")
    with force_locale(locale):
        context = dict(lang=locale, text_dir=_direction(locale), s=settings, confirm_url=confirm_url,
                       frequency=frequency, stakeholder_names=stakeholder_names, valid_days=valid_days)
        subject = _("Confirm your NCRC tracker e-mail updates")
        text = _render("digests/confirm.txt", subject=subject, **context)
        html = _render("digests/confirm.html", subject=subject, **context)
    message_id = settings.new_message_id()
    message = build_message(sender=settings.sender, recipient=email, subject=subject, text=text, html=html,
                            message_id=message_id, date=now, lang=locale)
    return RenderedMail(subject, message, message_id)
