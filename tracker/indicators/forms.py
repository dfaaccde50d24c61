from flask_babel import lazy_gettext as _l
from tracker.i18n import TrackerForm
from wtforms import HiddenField, StringField, TextAreaField
from wtforms.validators import Length

from tracker.indicators.operations import MAX_NOTE, MAX_PAGE, MAX_PUBLISHER, MAX_TITLE


class PointForm(TrackerForm):
    """Checked by the operation (which gives the specific message); lengths here only bound the input."""
    period = StringField(_l("Period: a year (2024) or a month (2024-06)"), validators=[Length(max=20)])
    value = StringField(_l("Value (a number)"), validators=[Length(max=40)])
    source_title = StringField(_l("Source title (required)"), validators=[Length(max=MAX_TITLE)])
    source_publisher = StringField(_l("Publisher"), validators=[Length(max=MAX_PUBLISHER)])
    source_url = StringField(_l("Source link (http or https; or give the page below)"),
                             validators=[Length(max=2000)])
    source_page = StringField(_l("Page or section of the source"), validators=[Length(max=MAX_PAGE)])
    note = TextAreaField(_l("Note (optional)"), validators=[Length(max=MAX_NOTE)])


class CorrectionForm(PointForm):
    reason = TextAreaField(_l("Why is it corrected? (required)"), validators=[Length(max=MAX_NOTE)])
    version = HiddenField()
