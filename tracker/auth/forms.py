from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, PasswordField, SelectChoice, SelectField, StringField
from wtforms.validators import DataRequired, Email, Length

from tracker.auth.models import ROLES


class LoginForm(FlaskForm):
    email = EmailField(_l("E-mail"), validators=[DataRequired(), Length(max=254)])
    password = PasswordField(_l("Password"), validators=[DataRequired(), Length(max=200)])


class NewUserForm(FlaskForm):
    email = EmailField(_l("E-mail"), validators=[DataRequired(), Email(), Length(max=254)])
    name = StringField(_l("Name"), validators=[Length(max=120)])
    role = SelectField(_l("Role"), choices=[SelectChoice(r) for r in ROLES])
    password = PasswordField(_l("Initial password (at least 12 characters)"),
                             validators=[DataRequired(), Length(min=12, max=200)])


class RoleForm(FlaskForm):
    role = SelectField(_l("Role"), choices=[SelectChoice(r) for r in ROLES])
