from flask_babel import lazy_gettext as _l
from tracker.i18n import TrackerForm
from wtforms import HiddenField, SelectChoice, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length

from tracker.recommendations import statuses
from tracker.recommendations.operations import MAX_NOTE, MAX_PUBLISHER, MAX_TITLE, MAX_URL


class StatusForm(TrackerForm):
    status = SelectField(_l("New status (keep the current one to add a note)"),
                         choices=[SelectChoice(s.value, s.label) for s in statuses.STATUSES],
                         validate_choice=False)  # the operation gives the specific message
    note = TextAreaField(_l("Note (required): what changed and how you know"),
                         validators=[DataRequired(_l("A note is required: say what changed and how you know.")),
                                     Length(max=MAX_NOTE)])
    # A text field shown as <input type="date">: the operation parses it and names what is wrong.
    occurred_on = StringField(_l("When it happened (optional; the date of the event, not today's)"))
    evidence_url = StringField(_l("Evidence link (optional, http or https)"), validators=[Length(max=MAX_URL)])
    evidence_title = StringField(_l("Evidence title (optional; looked up from the page when left empty)"),
                                 validators=[Length(max=MAX_TITLE)])
    evidence_publisher = StringField(_l("Evidence publisher (optional)"), validators=[Length(max=MAX_PUBLISHER)])
    version = HiddenField()
