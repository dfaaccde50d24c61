"""Log in and out, one's own password, and the admin's account pages. Routes parse, call one operation and
render or redirect; tracker/transactions.py commits (or rolls back) once per request."""
from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user

from tracker.auth import operations, queries
from tracker.auth.decorators import staff_required
from tracker.auth.forms import (ChangePasswordForm, ConfirmForm, LoginForm, NewUserForm, ResetPasswordForm,
                                RevokeTokenForm, RoleForm)
from tracker.auth.models import User, decoy_password_hash
from tracker.auth.redirects import same_site_path
from tracker.errors import DomainError, InvalidInput, attach_to_form
from tracker.extensions import db, limiter, login_manager

bp = Blueprint("auth", __name__)


@login_manager.user_loader
def load_user(session_id: str) -> User | None:
    return operations.user_for_session(db.session, session_id)


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit("10 per minute; 50 per hour", methods=["POST"])
def login():
    decoy_password_hash()  # made once per process, before anyone's failed login would pay for it
    form = LoginForm()
    if form.validate_on_submit():
        user = operations.authenticate(db.session, form.email.data, form.password.data)
        if user is None:
            form.password.errors.append(_("Wrong e-mail or password."))
        else:
            login_user(user)
            return redirect(same_site_path(request.args.get("next")) or url_for("staff.recommendations"))
    return render_template("auth/login.html", form=form), (400 if form.errors else 200)


@bp.post("/logout")
@login_required
def logout():
    # Ends the session on the server: the cookie, even replayed, no longer finds anyone.
    operations.end_sessions(db.session, current_user._get_current_object())
    logout_user()
    flash(_("You are logged out."))
    return redirect(url_for("scorecard.index"))


@bp.route("/account/password", methods=["GET", "POST"])
@login_required
def change_password():
    form = ChangePasswordForm()
    if form.validate_on_submit():
        user = current_user._get_current_object()
        try:
            operations.change_own_password(db.session, user, form.current_password.data, form.new_password.data)
        except DomainError as exc:
            attach_to_form(form, exc, "new_password")
        else:
            login_user(user)  # every other session ended; this one continues in the new generation
            flash(_("Your password is changed. Other sessions and your API tokens were ended."))
            return redirect(url_for("digests.account"))
    return render_template("auth/password.html", form=form), (400 if form.errors else 200)


# ---------------------------------------------------------------- admin: accounts


@bp.route("/admin/users", methods=["GET", "POST"])
@staff_required("manage_users")
def users():
    form = NewUserForm()
    if form.validate_on_submit():
        try:
            user = operations.create_user(db.session, form.email.data, form.password.data, form.role.data,
                                          form.name.data or "")
        except DomainError as exc:
            attach_to_form(form, exc, "email")
        else:
            flash(_("Account created for %(email)s.", email=user.email))
            return redirect(url_for("auth.users"))
    return render_template("auth/users.html", form=form, people=queries.all_users(db.session)), \
        (400 if form.errors else 200)


def _account_page(user: User, status: int = 200, **forms):
    forms = {"role_form": RoleForm(data={"role": user.role}), "password_form": ResetPasswordForm(),
             "state_form": ConfirmForm(), "revoke_form": RevokeTokenForm(), **forms}
    return render_template("auth/user.html", person=user, tokens=queries.tokens_of(db.session, user),
                           **forms), status


def _form_failed(form, user: User, name: str, status: int = 400):
    return _account_page(user, status, **{name: form})


@bp.get("/admin/users/<int:user_id>")
@staff_required("manage_users")
def user(user_id: int):
    return _account_page(db.get_or_404(User, user_id))


@bp.post("/admin/users/<int:user_id>/role")
@staff_required("manage_users")
def change_role(user_id: int):
    person = db.get_or_404(User, user_id)
    form = RoleForm()
    if not form.validate_on_submit():
        return _form_failed(form, person, "role_form")
    try:
        operations.set_role(db.session, person, form.role.data, acting=current_user._get_current_object())
    except DomainError as exc:
        attach_to_form(form, exc, "role")
        return _form_failed(form, person, "role_form", exc.status)
    flash(_("%(email)s is now %(role)s.", email=person.email, role=person.role))
    return redirect(url_for("auth.user", user_id=person.id))


@bp.post("/admin/users/<int:user_id>/password")
@staff_required("manage_users")
def reset_password(user_id: int):
    person = db.get_or_404(User, user_id)
    form = ResetPasswordForm()
    if not form.validate_on_submit():
        return _form_failed(form, person, "password_form")
    try:
        operations.set_password(db.session, person, form.password.data)
    except DomainError as exc:
        attach_to_form(form, exc, "password")
        return _form_failed(form, person, "password_form", exc.status)
    if person.id == current_user.id:
        login_user(person)  # an admin resetting their own password stays logged in here
    flash(_("New password set for %(email)s; their sessions and API tokens were ended.", email=person.email))
    return redirect(url_for("auth.user", user_id=person.id))


@bp.post("/admin/users/<int:user_id>/deactivate")
@staff_required("manage_users")
def deactivate(user_id: int):
    person = db.get_or_404(User, user_id)
    form = ConfirmForm()
    try:
        if not form.validate_on_submit():
            raise InvalidInput(_("The form's security token is missing or expired. Reload and try again."))
        operations.deactivate(db.session, person, acting=current_user._get_current_object())
    except DomainError as exc:
        attach_to_form(form, exc)
        return _form_failed(form, person, "state_form", exc.status)
    flash(_("%(email)s is deactivated: their sessions and API tokens were ended.", email=person.email))
    return redirect(url_for("auth.user", user_id=person.id))


@bp.post("/admin/users/<int:user_id>/activate")
@staff_required("manage_users")
def activate(user_id: int):
    person = db.get_or_404(User, user_id)
    form = ConfirmForm()
    if not form.validate_on_submit():
        return _form_failed(form, person, "state_form")
    operations.activate(db.session, person)
    flash(_("%(email)s can log in again.", email=person.email))
    return redirect(url_for("auth.user", user_id=person.id))


@bp.post("/admin/users/<int:user_id>/tokens/revoke")
@staff_required("manage_users")
def revoke_tokens(user_id: int):
    person = db.get_or_404(User, user_id)
    form = RevokeTokenForm()
    try:
        if not form.validate_on_submit():
            raise InvalidInput(_("The form's security token is missing or expired. Reload and try again."))
        raw_id = (form.token_id.data or "").strip()
        if raw_id and not (raw_id.isdigit() and len(raw_id) <= 18):
            raise InvalidInput(_("Not a token number: %(id)s.", id=raw_id[:40]))
        count = operations.revoke_tokens(db.session, person, int(raw_id) if raw_id else None)
    except DomainError as exc:
        attach_to_form(form, exc)
        return _form_failed(form, person, "revoke_form", exc.status)
    flash(_("%(n)s token(s) of %(email)s revoked.", n=count, email=person.email))
    return redirect(url_for("auth.user", user_id=person.id))
