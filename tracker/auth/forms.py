from flask_babel import lazy_gettext as _l
from tracker.i18n import TrackerForm
from wtforms import EmailField, HiddenField, PasswordField, SelectChoice, SelectField, StringField
from wtforms.validators import DataRequired, EqualTo, Length

from tracker.auth.models import DEFAULT_ROLE, ROLE_LABELS, ROLES
from tracker.auth.operations import MAX_PASSWORD, MIN_PASSWORD


class LoginForm(TrackerForm):
    email = EmailField(_l("E-mail"), validators=[DataRequired(), Length(max=254)])
    password = PasswordField(_l("Password"), validators=[DataRequired(), Length(max=MAX_PASSWORD)])


class NewUserForm(TrackerForm):
    email = EmailField(_l("E-mail"), validators=[DataRequired(), Length(max=254)])  # checked, with its reason, by create_user
    name = StringField(_l("Name"), validators=[Length(max=120)])
    role = SelectField(_l("Role"), choices=[SelectChoice(r, ROLE_LABELS[r]) for r in ROLES], default=DEFAULT_ROLE)
    password = PasswordField(_l("Initial password (at least 12 characters)"),
                             validators=[DataRequired(), Length(min=MIN_PASSWORD, max=MAX_PASSWORD)])


class RoleForm(TrackerForm):
    role = SelectField(_l("Role"), choices=[SelectChoice(r, ROLE_LABELS[r]) for r in ROLES])


class ChangePasswordForm(TrackerForm):
    current_password = PasswordField(_l("Current password"), validators=[DataRequired(), Length(max=MAX_PASSWORD)])
    new_password = PasswordField(_l("New password (at least 12 characters)"),
                                 validators=[DataRequired(), Length(min=MIN_PASSWORD, max=MAX_PASSWORD)])
    confirm = PasswordField(_l("New password again"),
                            validators=[DataRequired(), EqualTo("new_password", _l("The two new passwords differ."))])


class ResetPasswordForm(TrackerForm):
    password = PasswordField(_l("New password (at least 12 characters)"),
                             validators=[DataRequired(), Length(min=MIN_PASSWORD, max=MAX_PASSWORD)])


class ConfirmForm(TrackerForm):
    """A button that changes something (deactivate, activate, revoke): the CSRF token is its only field."""


class RevokeTokenForm(TrackerForm):
    token_id = HiddenField()  # empty: every token of the account
