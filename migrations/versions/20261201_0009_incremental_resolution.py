"""incremental entity resolution working tables

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-01 19:27:23.466413
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Empty: the first resolve after this counts every article into them (its resolver version is new).
    op.create_table(
        "work_entity_articles",
        sa.Column("article_id", sa.String(length=16), nullable=False, comment="The article."),
        sa.Column("entity_id", sa.String(length=16), nullable=False, comment="The entity."),
        sa.Column(
            "name_count",
            sa.Integer(),
            nullable=False,
            comment="Distinct names of the entity the article mentions.",
        ),
        sa.PrimaryKeyConstraint("article_id", "entity_id", name=op.f("pk_work_entity_articles")),
        comment="Which articles mention which entity, by how many of the entity's names: an entity's article count changes by the rows an update adds or empties.",
        info={"published": False},
    )
    op.create_table(
        "work_joined_surnames",
        sa.Column("article_id", sa.String(length=16), nullable=False, comment="The article."),
        sa.Column("name", sa.Text(), nullable=False, comment="The bare surname, a person's name of one word."),
        sa.Column(
            "entity_id", sa.String(length=16), nullable=False, comment="The entity of the full name it joined."
        ),
        sa.Column("reason", sa.Text(), nullable=False, comment="The evidence its article gives."),
        sa.PrimaryKeyConstraint("article_id", "name", name=op.f("pk_work_joined_surnames")),
        comment="Each article whose evidence joins a bare surname to the one person-shaped full name of another article that ends with it: what the mentions of that surname in that article count under, decided again on every update.",
        info={"published": False},
    )
    with op.batch_alter_table("work_joined_surnames", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_work_joined_surnames_name"), ["name"], unique=False)

    op.create_table(
        "work_resolved_acronyms",
        sa.Column("acronym", sa.Text(), nullable=False, comment="The acronym as written."),
        sa.Column("label", sa.String(length=12), nullable=False, comment="The long form's type."),
        sa.Column("name", sa.Text(), nullable=False, comment="The long form."),
        sa.Column(
            "mention_count", sa.Integer(), nullable=False, comment="Mentions writing the long form so."
        ),
        sa.PrimaryKeyConstraint("acronym", "label", "name", name=op.f("pk_work_resolved_acronyms")),
        comment="Acronyms some mention wrote for a longer name (text in capitals, the name of two words or more): what the acronym rule reads.",
        info={"published": False},
    )
    op.create_table(
        "work_resolved_articles",
        sa.Column("article_id", sa.String(length=16), nullable=False, comment="The article."),
        sa.Column(
            "enrich_input_hash",
            sa.String(length=64),
            nullable=True,
            comment="The enrich input hash its counted mentions came from.",
        ),
        sa.PrimaryKeyConstraint("article_id", name=op.f("pk_work_resolved_articles")),
        comment="Each article as entity resolution last counted it: an update re-resolves only the articles whose mentions changed since (no key to articles: a removed article's forms must be subtracted after its rows are gone).",
        info={"published": False},
    )
    op.create_table(
        "work_resolved_forms",
        sa.Column("article_id", sa.String(length=16), nullable=False, comment="The article."),
        sa.Column("label", sa.String(length=12), nullable=False, comment="The mentions' type."),
        sa.Column("name", sa.Text(), nullable=False, comment="The mentions' name."),
        sa.Column("text", sa.Text(), nullable=False, comment="The mentions as written."),
        sa.Column(
            "role", sa.Text(), nullable=False, comment="The mentions' role; empty when they have none."
        ),
        sa.Column(
            "mention_count", sa.Integer(), nullable=False, comment="Mentions of the article in this group."
        ),
        sa.PrimaryKeyConstraint(
            "article_id", "label", "name", "text", "role", name=op.f("pk_work_resolved_forms")
        ),
        comment="The mentions entity resolution counted, grouped per article, type, name, text and role: what an update subtracts when an article changes or goes.",
        info={"published": False},
    )
    with op.batch_alter_table("work_resolved_forms", schema=None) as batch_op:
        batch_op.create_index("ix_work_resolved_forms_label_name", ["label", "name"], unique=False)

    op.create_table(
        "work_resolved_names",
        sa.Column("label", sa.String(length=12), nullable=False, comment="The name's type."),
        sa.Column("name", sa.Text(), nullable=False, comment="The name."),
        sa.Column(
            "surname",
            sa.Text(),
            nullable=True,
            comment="Last word of a person's name of two words or more, else empty.",
        ),
        sa.Column(
            "entity_id",
            sa.String(length=16),
            nullable=True,
            comment="The entity it resolved to; empty until it is resolved.",
        ),
        sa.Column(
            "reason",
            sa.Text(),
            nullable=True,
            comment="Why it joined another name's entity; empty when it is its own.",
        ),
        sa.Column(
            "mention_count", sa.Integer(), nullable=False, comment="Mentions of this name in the corpus."
        ),
        sa.PrimaryKeyConstraint("label", "name", name=op.f("pk_work_resolved_names")),
        comment="Each distinct (type, name) of the corpus, its mentions and the entity it resolved to: the cross-article rules look up a name's neighbours here instead of reading every mention.",
        info={"published": False},
    )
    with op.batch_alter_table("work_resolved_names", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_work_resolved_names_name"), ["name"], unique=False)
        batch_op.create_index(batch_op.f("ix_work_resolved_names_surname"), ["surname"], unique=False)



def downgrade() -> None:
    with op.batch_alter_table("work_resolved_names", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_work_resolved_names_surname"))
        batch_op.drop_index(batch_op.f("ix_work_resolved_names_name"))

    op.drop_table("work_resolved_names")
    with op.batch_alter_table("work_resolved_forms", schema=None) as batch_op:
        batch_op.drop_index("ix_work_resolved_forms_label_name")

    op.drop_table("work_resolved_forms")
    op.drop_table("work_resolved_articles")
    op.drop_table("work_resolved_acronyms")
    with op.batch_alter_table("work_joined_surnames", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_work_joined_surnames_name"))

    op.drop_table("work_joined_surnames")
    op.drop_table("work_entity_articles")
