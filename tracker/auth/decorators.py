from functools import wraps

from flask import abort, g, jsonify, request
from flask_login import current_user

from tracker.auth.operations import user_for_token
from tracker.errors import Forbidden, Unauthorised
from tracker.extensions import csrf, db, login_manager


def staff_required(action: str):
    """Pages: anonymous people are sent to log in; a role without `action` gets 403."""
    def decorator(view):
        @wraps(view)
        def wrapped(*args, **kwargs):
            if not current_user.is_authenticated:
                return login_manager.unauthorized()
            if not current_user.can(action):
                abort(403)
            return view(*args, **kwargs)
        return wrapped
    return decorator


def api_error(message: str, status: int):
    response = jsonify(error=message)
    response.status_code = status
    if status == 401:
        response.headers["WWW-Authenticate"] = 'Bearer realm="tracker"'
    return response


def api_staff_required(action: str):
    """API: a Bearer token, or a browser session (then the CSRF header is required too). Refusals are domain
    errors, which the app answers as `{"error": ...}` (with `WWW-Authenticate` on a 401), like every other."""
    def decorator(view):
        @wraps(view)
        def wrapped(*args, **kwargs):
            header = request.headers.get("Authorization", "")
            if header:
                scheme, _, raw = header.partition(" ")
                if scheme.lower() != "bearer" or not raw.strip():
                    raise Unauthorised("Authorization header must be 'Bearer <token>'.")
                user = user_for_token(db.session, raw.strip())
                if user is None:
                    raise Unauthorised("The API token is invalid or revoked.")
            elif current_user.is_authenticated:
                user = current_user._get_current_object()
                if request.method not in ("GET", "HEAD", "OPTIONS"):
                    csrf.protect()
            else:
                raise Unauthorised("Authentication required: send 'Authorization: Bearer <token>'.")
            if not user.can(action):
                raise Forbidden(f"Your role ({user.role}) may not do this.")
            g.api_user = user
            return view(*args, **kwargs)
        return wrapped
    return decorator
