"""Deliver one stored message: over SMTP from TRACKER_SMTP_URL, or to the log when it is unset.

The SMTP transaction is driven by hand (MAIL, RCPT, DATA, body, final reply) so that every failure can
be classified for the outbox's at-most-once rule:
- refused with a reply code, or broken before the body's final "." went out: the server did not take
  it; safe to retry (`DeliveryError`, uncertain=False);
- broken or timed out *after* the body was written and while waiting for the final reply: the server
  may have queued it; never retried automatically (`DeliveryError`, uncertain=True).
"""
import logging
import re
import smtplib
import socket
import ssl
from dataclasses import dataclass
from email import message_from_string, policy
from email.utils import parseaddr
from urllib.parse import parse_qs, unquote, urlsplit

log = logging.getLogger(__name__)
mail_log = logging.getLogger("tracker.mail")  # the messages themselves, when no relay is configured
DEFAULT_TIMEOUT = 20.0


class MailConfigError(ValueError):
    pass


class DeliveryError(Exception):
    def __init__(self, message: str, *, uncertain: bool = False, code: int | None = None):
        super().__init__(message)
        self.uncertain = uncertain
        self.code = code


@dataclass(frozen=True)
class SmtpSettings:
    host: str
    port: int
    security: str = "none"  # none | starttls | tls
    username: str | None = None
    password: str | None = None
    timeout: float = DEFAULT_TIMEOUT
    cafile: str | None = None  # a private CA for an intranet relay

    @classmethod
    def from_url(cls, url: str) -> "SmtpSettings":
        """`smtp://user:pass@host:port` (`smtps://` for TLS; `?starttls=1`; `?timeout=S`; `?cafile=PATH`)."""
        try:
            parts = urlsplit(url)
            port = parts.port
        except ValueError as exc:
            raise MailConfigError(f"TRACKER_SMTP_URL is not a valid URL: {exc}") from None
        if parts.scheme not in ("smtp", "smtps") or not parts.hostname:
            raise MailConfigError("TRACKER_SMTP_URL must look like smtp://user:pass@host:port "
                                  "(smtps:// for TLS, ?starttls=1 for STARTTLS)")
        query = {k: v[-1] for k, v in parse_qs(parts.query).items()}
        starttls = query.get("starttls", "0").lower() in ("1", "true", "yes", "on")
        if parts.scheme == "smtps" and starttls:
            raise MailConfigError("TRACKER_SMTP_URL: use either smtps:// or ?starttls=1, not both")
        try:
            timeout = float(query.get("timeout", DEFAULT_TIMEOUT))
        except ValueError:
            raise MailConfigError("TRACKER_SMTP_URL: timeout must be a number of seconds") from None
        return cls(host=parts.hostname, port=port or (465 if parts.scheme == "smtps" else 587 if starttls else 25),
                   security="tls" if parts.scheme == "smtps" else "starttls" if starttls else "none",
                   username=unquote(parts.username) if parts.username else None,
                   password=unquote(parts.password) if parts.password else None,
                   timeout=timeout, cafile=query.get("cafile"))


def envelope_address(mail_from: str) -> str:
    return parseaddr(mail_from)[1] or mail_from


def readable_message(message: str) -> str:
    """A stored message as a person reads it: its headers (encoded words decoded) and the plain-text body
    decoded from quoted-printable, so links such as the confirmation link can be copied whole."""
    parsed = message_from_string(message, policy=policy.default)
    lines = [f"{name}: {value}" for name, value in parsed.items()]
    body = parsed.get_body(preferencelist=("plain",))
    text = body.get_content() if body is not None else ""
    return "\n".join(lines) + "\n\n" + text.rstrip("\n")


class LogTransport:
    """No relay configured (development): the message is written in full to the console log, and to the
    outbox as 'written to the log' (never "sent": nobody received it)."""

    via = "log"

    def __init__(self):
        _make_mail_log_visible()

    def send(self, sender: str, recipient: str, message: str) -> None:
        mail_log.info("no TRACKER_SMTP_URL: this e-mail from %s to %s is written here instead of being sent\n"
                      "%s\n%s\n%s", sender, recipient, "-" * 72, readable_message(message), "-" * 72)

    def close(self) -> None:
        pass


def _make_mail_log_visible() -> None:
    """Mail written to the log must be seen on the console of `make run`, where no logging is configured
    (Python then shows warnings only). A process that configured its own handlers keeps them."""
    mail_log.setLevel(logging.INFO)
    mail_log.disabled = False  # Alembic's fileConfig disables loggers that existed before it ran
    if not mail_log.hasHandlers():
        handler = logging.StreamHandler()
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
        mail_log.addHandler(handler)


class SmtpTransport:
    """One connection reused for many messages; a connection failure fails the rest of the run fast."""

    via = "smtp"

    def __init__(self, settings: SmtpSettings):
        self.settings = settings
        self._smtp: smtplib.SMTP | None = None
        self._unreachable: str | None = None

    def _connect(self) -> smtplib.SMTP:
        s = self.settings
        context = ssl.create_default_context(cafile=s.cafile) if s.security != "none" else None
        try:
            if s.security == "tls":
                smtp = smtplib.SMTP_SSL(s.host, s.port, timeout=s.timeout, context=context)
            else:
                smtp = smtplib.SMTP(s.host, s.port, timeout=s.timeout)
            try:
                smtp.ehlo()
                if s.security == "starttls":
                    smtp.starttls(context=context)
                    smtp.ehlo()
                if s.username:
                    smtp.login(s.username, s.password or "")
            except BaseException:
                smtp.close()
                raise
        except smtplib.SMTPAuthenticationError as exc:
            raise DeliveryError(f"SMTP login refused: {exc.smtp_code} {_text(exc.smtp_error)}",
                                code=exc.smtp_code) from None
        except (smtplib.SMTPException, OSError) as exc:
            raise DeliveryError(f"SMTP server {s.host}:{s.port} unavailable: {_describe(exc)}") from None
        return smtp

    def _drop(self) -> None:
        if self._smtp is not None:
            try:
                self._smtp.close()
            except OSError:
                pass
        self._smtp = None

    def send(self, sender: str, recipient: str, message: str) -> None:
        if self._unreachable:
            raise DeliveryError(f"not attempted: {self._unreachable}")
        try:
            body = _wire_format(message)
        except UnicodeError:
            raise DeliveryError("the stored message is not 7-bit clean; it cannot be sent") from None
        for attempt in (1, 2):
            if self._smtp is None:
                try:
                    self._smtp = self._connect()
                except DeliveryError as exc:
                    self._unreachable = str(exc)
                    raise
            try:
                self._envelope(sender, recipient)
                break
            except (smtplib.SMTPServerDisconnected, OSError) as exc:
                # Nothing of the message went out yet: reconnect once (an idle connection may have closed).
                self._drop()
                if attempt == 2:
                    raise DeliveryError(f"SMTP connection lost: {_describe(exc)}") from None
        self._data(body)

    def _envelope(self, sender: str, recipient: str) -> None:
        smtp = self._smtp
        code, reply = smtp.mail(sender)
        if code != 250:
            self._reset()
            raise DeliveryError(f"sender refused: {code} {_text(reply)}", code=code)
        code, reply = smtp.rcpt(recipient)
        if code not in (250, 251):
            self._reset()
            raise DeliveryError(f"recipient refused: {code} {_text(reply)}", code=code)

    def _data(self, body: bytes) -> None:
        smtp = self._smtp
        try:
            code, reply = smtp.docmd("data")
            if code != 354:
                self._reset()
                raise DeliveryError(f"DATA refused: {code} {_text(reply)}", code=code)
            smtp.send(body)
        except (smtplib.SMTPServerDisconnected, OSError) as exc:
            # The terminating "." was not (completely) written: the server cannot have accepted it.
            self._drop()
            raise DeliveryError(f"SMTP connection lost before the message was complete: {_describe(exc)}") \
                from None
        try:
            code, reply = smtp.getreply()
        except (smtplib.SMTPServerDisconnected, OSError) as exc:
            self._drop()
            raise DeliveryError(f"no reply after the message was sent ({_describe(exc)}); "
                                "it may have been delivered", uncertain=True) from None
        if code != 250:
            raise DeliveryError(f"message refused: {code} {_text(reply)}", code=code)

    def _reset(self) -> None:
        try:
            self._smtp.rset()
        except (smtplib.SMTPException, OSError):
            self._drop()

    def close(self) -> None:
        if self._smtp is not None:
            try:
                self._smtp.quit()
            except (smtplib.SMTPException, OSError):
                pass
            self._drop()


def open_transport(smtp_url: str | None) -> LogTransport | SmtpTransport:
    return SmtpTransport(SmtpSettings.from_url(smtp_url)) if smtp_url else LogTransport()


def _wire_format(message: str) -> bytes:
    data = re.sub(r"\r?\n", "\r\n", message).encode("ascii", "surrogateescape")
    data = re.sub(rb"(?m)^\.", b"..", data)  # dot-stuffing (RFC 5321 4.5.2)
    if not data.endswith(b"\r\n"):
        data += b"\r\n"
    return data + b".\r\n"


def _text(reply: bytes | str) -> str:
    return reply.decode("utf-8", "replace") if isinstance(reply, bytes) else str(reply)


def _describe(exc: BaseException) -> str:
    if isinstance(exc, socket.timeout | TimeoutError):
        return "timed out"
    return f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__
