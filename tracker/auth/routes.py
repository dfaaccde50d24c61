from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user
from sqlalchemy import select

from tracker.auth.decorators import staff_required
from tracker.auth.forms import LoginForm, NewUserForm, RoleForm
from tracker.auth.models import User
from tracker.auth.operations import AccountError, authenticate, create_user, set_role
from tracker.extensions import db, limiter, login_manager

bp = Blueprint("auth", __name__)


@login_manager.user_loader
def load_user(user_id: str) -> User | None:
    return db.session.get(User, int(user_id))


def _safe_next(target: str | None) -> str:
    # Only same-site paths: an open redirect after login is a phishing aid.
    if target and target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return url_for("staff.recommendations")


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit("10 per minute; 50 per hour", methods=["POST"])
def login():
    form = LoginForm()
    if form.validate_on_submit():
        user = authenticate(db.session, form.email.data, form.password.data)
        if user is None:
            form.password.errors.append(_("Wrong e-mail or password."))
        else:
            login_user(user)
            return redirect(_safe_next(request.args.get("next")))
    return render_template("auth/login.html", form=form), (400 if form.errors else 200)


@bp.post("/logout")
@login_required
def logout():
    logout_user()
    flash(_("You are logged out."))
    return redirect(url_for("scorecard.index"))


@bp.route("/admin/users", methods=["GET", "POST"])
@staff_required("manage_users")
def users():
    form = NewUserForm()
    if form.validate_on_submit():
        try:
            user = create_user(db.session, form.email.data, form.password.data, form.role.data, form.name.data or "")
        except AccountError as exc:
            form.email.errors.append(str(exc))
        else:
            db.session.commit()
            flash(_("Account created for %(email)s.", email=user.email))
            return redirect(url_for("auth.users"))
    people = db.session.scalars(select(User).order_by(User.email)).all()
    return render_template("auth/users.html", form=form, people=people, role_form=RoleForm()), \
        (400 if form.errors else 200)


@bp.post("/admin/users/<int:user_id>/role")
@staff_required("manage_users")
def change_role(user_id: int):
    user = db.get_or_404(User, user_id)
    form = RoleForm()
    if form.validate_on_submit():
        if user.id == current_user.id and form.role.data != "admin":
            flash(_("You cannot remove your own admin role."), "error")
        else:
            set_role(db.session, user, form.role.data)
            db.session.commit()
            flash(_("%(email)s is now %(role)s.", email=user.email, role=user.role))
    else:
        flash(_("Invalid role."), "error")
    return redirect(url_for("auth.users"))
