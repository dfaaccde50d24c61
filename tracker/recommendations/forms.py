from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, SelectChoice, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length

from tracker.recommendations import statuses
from tracker.recommendations.operations import MAX_NOTE, MAX_URL


class StatusForm(FlaskForm):
    status = SelectField(_l("New status"), choices=[SelectChoice(s.value, s.label) for s in statuses.STATUSES],
                         validate_choice=False)  # the operation gives the specific message
    note = TextAreaField(_l("Note (required): what changed and how you know"),
                         validators=[DataRequired(_l("A note is required: say what changed and how you know.")),
                                     Length(max=MAX_NOTE)])
    evidence_url = StringField(_l("Evidence link (optional, http or https)"), validators=[Length(max=MAX_URL)])
    version = HiddenField()
