"""digests: subscriptions (public and staff), single-purpose tokens, outbox

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-25 12:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('digest_subscriptions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=True),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('frequency', sa.String(length=10), nullable=False),
    sa.Column('state', sa.String(length=15), nullable=False),
    sa.Column('stakeholders', sa.Text(), nullable=False),
    sa.Column('locale', sa.String(length=10), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('confirmed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('unsubscribed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('last_change_id', sa.Integer(), nullable=False),
    sa.Column('last_suggestion_id', sa.Integer(), nullable=False),
    sa.Column('stale_cutoff', sa.DateTime(timezone=True), nullable=True),
    sa.Column('feed_streaks', sa.Text(), nullable=False),
    sa.Column('last_sent_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_digest_subscriptions_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_digest_subscriptions')),
    sa.UniqueConstraint('email', name=op.f('uq_digest_subscriptions_email')),
    sa.UniqueConstraint('user_id', name=op.f('uq_digest_subscriptions_user_id'))
    )
    with op.batch_alter_table('digest_subscriptions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_digest_subscriptions_state'), ['state'], unique=False)

    op.create_table('digest_tokens',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('subscription_id', sa.Integer(), nullable=False),
    sa.Column('purpose', sa.String(length=12), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('used_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('frequency', sa.String(length=10), nullable=True),
    sa.Column('stakeholders', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['subscription_id'], ['digest_subscriptions.id'], name=op.f('fk_digest_tokens_subscription_id_digest_subscriptions'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_digest_tokens')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_digest_tokens_token_hash'))
    )
    with op.batch_alter_table('digest_tokens', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_digest_tokens_expires_at'), ['expires_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_digest_tokens_subscription_id'), ['subscription_id'], unique=False)

    op.create_table('digest_outbox',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('subscription_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=10), nullable=False),
    sa.Column('period', sa.String(length=40), nullable=False),
    sa.Column('recipient', sa.String(length=254), nullable=False),
    sa.Column('subject', sa.String(length=300), nullable=False),
    sa.Column('message', sa.Text(), nullable=False),
    sa.Column('message_id', sa.String(length=200), nullable=False),
    sa.Column('state', sa.String(length=12), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('last_error', sa.Text(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('next_attempt_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('claimed_by', sa.String(length=200), nullable=True),
    sa.Column('claimed_until', sa.DateTime(timezone=True), nullable=True),
    sa.Column('sent_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('up_to_change_id', sa.Integer(), nullable=True),
    sa.Column('up_to_suggestion_id', sa.Integer(), nullable=True),
    sa.Column('stale_cutoff', sa.DateTime(timezone=True), nullable=True),
    sa.Column('feed_streaks', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['subscription_id'], ['digest_subscriptions.id'], name=op.f('fk_digest_outbox_subscription_id_digest_subscriptions'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_digest_outbox')),
    sa.UniqueConstraint('message_id', name=op.f('uq_digest_outbox_message_id')),
    # The idempotency key: never two messages for the same recipient and period.
    sa.UniqueConstraint('subscription_id', 'period', name='uq_digest_outbox_recipient_period')
    )
    with op.batch_alter_table('digest_outbox', schema=None) as batch_op:
        batch_op.create_index('ix_digest_outbox_state_next', ['state', 'next_attempt_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_digest_outbox_subscription_id'), ['subscription_id'], unique=False)


def downgrade():
    with op.batch_alter_table('digest_outbox', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_digest_outbox_subscription_id'))
        batch_op.drop_index('ix_digest_outbox_state_next')

    op.drop_table('digest_outbox')
    with op.batch_alter_table('digest_tokens', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_digest_tokens_subscription_id'))
        batch_op.drop_index(batch_op.f('ix_digest_tokens_expires_at'))

    op.drop_table('digest_tokens')
    with op.batch_alter_table('digest_subscriptions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_digest_subscriptions_state'))

    op.drop_table('digest_subscriptions')
