from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from sqlalchemy import select

from tracker.auth.decorators import staff_required
from tracker.extensions import db
from tracker.feeds.forms import FeedForm, ToggleForm
from tracker.feeds.models import Feed
from tracker.feeds.operations import FeedError, add_feed, set_active

bp = Blueprint("feeds", __name__, url_prefix="/admin/feeds")


@bp.route("", methods=["GET", "POST"])
@staff_required("manage_feeds")
def index():
    form = FeedForm()
    if form.validate_on_submit():
        try:
            feed = add_feed(db.session, form.url.data, form.name.data, form.kind.data, form.interval_minutes.data)
        except FeedError as exc:
            db.session.rollback()
            form.url.errors.append(str(exc))
        else:
            db.session.commit()
            flash(_("Feed “%(name)s” added; it will be polled within a minute.", name=feed.name))
            return redirect(url_for("feeds.index"))
    feeds = db.session.scalars(select(Feed).order_by(Feed.error_count.desc(), Feed.name)).all()
    return render_template("feeds/index.html", feeds=feeds, form=form, toggle=ToggleForm()), \
        (400 if form.errors else 200)


@bp.post("/<int:feed_id>/toggle")
@staff_required("manage_feeds")
def toggle(feed_id: int):
    feed = db.get_or_404(Feed, feed_id)
    if ToggleForm().validate_on_submit():
        set_active(db.session, feed, not feed.active)
        db.session.commit()
        flash(_("“%(name)s” is now %(state)s.", name=feed.name, state=_("active") if feed.active else _("paused")))
    return redirect(url_for("feeds.index"))
