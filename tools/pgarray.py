r"""PostgreSQL array literals for long lists of query parameters.

psycopg2 sends a Python list as ``ARRAY[v1, v2, ...]``: every element goes through its own
adapter, and the server parses each one as an expression. For the tens of thousands of
figures a refresh writes, one text literal ``'{v1,v2,...}'`` cast to the array type costs
several times less on both sides. Pass the result as a parameter and cast it in SQL
(``%s::numeric[]``); it is still quoted by psycopg2 as any string.

>>> from decimal import Decimal
>>> literal([3, None, 2.5])
'{3,NULL,2.5}'
>>> literal(["on_track", None, 'say "hi"\\'])
'{"on_track",NULL,"say \\"hi\\"\\\\"}'
>>> literal([float("nan"), float("inf"), -float("inf"), True, Decimal("1.50")])
'{nan,inf,-inf,true,1.50}'
>>> literal([])
'{}'
"""

from decimal import Decimal


def _element(value):
    kind = type(value)
    if kind is float:
        # the shortest text that reads back as the same float; PostgreSQL reads nan and inf too
        return repr(value)
    if kind is int:
        return str(value)
    if value is None:
        return "NULL"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return repr(float(value))
    if isinstance(value, (int, Decimal)):
        return str(value)
    text = str(value)
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def literal(values):
    """The array literal of ``values`` (numbers, strings, ``None``)."""
    return "{" + ",".join(map(_element, values)) + "}"
