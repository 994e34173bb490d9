"""The dimensions a sales target can be set along, in one registry.

Each entry says which field of ``sales.target`` holds the dimension, which columns of a
measure's cube a target filtering on it needs, under which key the decomposition wizard
offers it, its label, and the wizard method that lists its members. The lists the models,
the cube matching and the wizard used to spell out each are derived from it, so that a new
dimension is one entry here (plus its field on the target and, when the wizard splits by
it, a ``_members_<key>`` method).
"""

from typing import NamedTuple


class Dimension(NamedTuple):
    """One dimension of a target.

    ``field``: the field of ``sales.target`` (``None`` for the period, held by the dates);
    ``columns``: cube columns a target filtering on ``field`` needs, the first holding the
    value it is matched on; ``key`` and ``label``: how the wizard offers it (labels are
    translated through the selection fields they feed); ``members``: the wizard method
    listing the parts a target splits into (``None``: the wizard does not split by it);
    ``keyed``: rows are matched by equality on a key (customer types are decided per
    target instead); ``nested``: a target already set on one member still splits into the
    member's children (a category into its sub-categories).
    """

    key: str
    label: str
    field: str | None
    columns: tuple = ()
    members: str | None = None
    keyed: bool = True
    nested: bool = False


DIMENSIONS = (
    Dimension("period", "Period", None, (), "_members_period"),
    Dimension("user", "Salesperson", "user_id", ("user_id",), "_members_user"),
    Dimension("team", "Sales Team", "team_id", ("team_id",), "_members_team"),
    Dimension("product_categ", "Product Category", "product_categ_id", ("categ_id",), "_members_product_categ",
              nested=True),
    Dimension("product", "Product", "product_id", ("product_id",), "_members_product"),
    Dimension("region", "Region", "region_id", ("state_id", "country_id"), "_members_region"),
    Dimension("customer_type", "Customer Type", "customer_type", ("partner_id",), "_members_customer_type",
              keyed=False),
    Dimension("partner", "Customer", "partner_id", ("partner_id",)),
)

#: wizard key -> dimension
BY_KEY = {d.key: d for d in DIMENSIONS}
#: fields of ``sales.target`` that hold a dimension
TARGET_FIELDS = tuple(d.field for d in DIMENSIONS if d.field)
#: target fields the cube matches by equality on a row key
KEY_FIELDS = tuple(d.field for d in DIMENSIONS if d.field and d.keyed)
#: target field -> cube columns it needs
COLUMNS = {d.field: d.columns for d in DIMENSIONS if d.field}
#: key fields matched on one cube column read as it is (not a tree like categories, not
#: resolved from several columns like regions)
PLAIN_KEY_FIELDS = frozenset(d.field for d in DIMENSIONS if d.field and d.keyed and not d.nested
                             and len(d.columns) == 1)
#: the dimensions the decomposition wizard splits along
SPLIT_DIMENSIONS = tuple(d for d in DIMENSIONS if d.members)
#: wizard key -> target field, for the dimensions the wizard splits along
SPLIT_FIELDS = {d.key: d.field for d in SPLIT_DIMENSIONS if d.field}


def selection():
    """``(key, label)`` of the wizard's dimensions, for a selection field.

    >>> selection()[:2]
    [('period', 'Period'), ('user', 'Salesperson')]
    >>> KEY_FIELDS
    ('user_id', 'team_id', 'product_categ_id', 'product_id', 'region_id', 'partner_id')
    >>> COLUMNS["region_id"], SPLIT_FIELDS["customer_type"]
    (('state_id', 'country_id'), 'customer_type')
    >>> sorted(PLAIN_KEY_FIELDS)
    ['partner_id', 'product_id', 'team_id', 'user_id']
    """
    return [(d.key, d.label) for d in SPLIT_DIMENSIONS]
