from flask_babel import lazy_gettext as _l
from tracker.i18n import TrackerForm
from wtforms import BooleanField, IntegerField, SelectChoice, SelectField, StringField
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from tracker.feeds.models import FEED_KIND_LABELS, FEED_KINDS
from tracker.feeds.operations import SourceInput


class FeedForm(TrackerForm):
    """A source: an RSS/Atom feed, or (with an item selector) an HTML page read with CSS selectors."""
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=120)])
    url = StringField(_l("Address (http or https)"), validators=[DataRequired(), Length(max=2000)])
    kind = SelectField(_l("Kind"), choices=[SelectChoice(k, FEED_KIND_LABELS[k]) for k in FEED_KINDS])
    interval_minutes = IntegerField(_l("Poll every (minutes)"), default=60,
                                    validators=[NumberRange(min=5, max=1440)])
    page = StringField(_l("Item selector (page sources only; leave empty for a feed)"),
                       validators=[Optional(), Length(max=500)])
    title = StringField(_l("Title selector, inside an item"), validators=[Optional(), Length(max=500)])
    link = StringField(_l("Link selector, inside an item (the element whose href is the link)"),
                       validators=[Optional(), Length(max=500)])
    date = StringField(_l("Date selector (optional)"), validators=[Optional(), Length(max=500)])
    summary = StringField(_l("Summary selector (optional)"), validators=[Optional(), Length(max=500)])
    follow = BooleanField(_l("Follow each new item's link (HTML or PDF) and match on its text"))

    def source_input(self) -> SourceInput:
        return SourceInput(self.url.data, self.name.data, self.kind.data, self.interval_minutes.data,
                           self.page.data or None, self.title.data or None, self.link.data or None,
                           self.date.data or None, self.summary.data or None, bool(self.follow.data))


class ToggleForm(TrackerForm):
    pass
