from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectChoice, SelectField, TextAreaField
from wtforms.validators import Length

from tracker.recommendations import statuses


class AcceptForm(FlaskForm):
    status = SelectField(_l("Status to record"), validate_choice=False,
                         choices=[SelectChoice("", _l("Keep the current status (add as evidence)"))] +
                                 [SelectChoice(s.value, s.label) for s in statuses.STATUSES])
    note = TextAreaField(_l("Note (optional; the item's title is used if empty)"), validators=[Length(max=5000)])


class DismissForm(FlaskForm):
    pass
