from . import demo
from . import controllers
from . import models
from . import tools
from . import wizards


def uninstall_hook(env):
    """The index the addon put on order lines goes with it."""
    from .models.sale_order_line import drop_amount_index
    drop_amount_index(env.cr)
