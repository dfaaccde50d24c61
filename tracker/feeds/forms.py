from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import IntegerField, SelectChoice, SelectField, StringField
from wtforms.validators import DataRequired, Length, NumberRange

from tracker.feeds.models import FEED_KINDS


class FeedForm(FlaskForm):
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=120)])
    url = StringField(_l("Feed address (http or https)"), validators=[DataRequired(), Length(max=2000)])
    kind = SelectField(_l("Kind"), choices=[SelectChoice(k) for k in FEED_KINDS])
    interval_minutes = IntegerField(_l("Poll every (minutes)"), default=60,
                                    validators=[NumberRange(min=5, max=1440)])


class ToggleForm(FlaskForm):
    pass
