from . import sales_target_plan_split
from . import sales_target_plan_confirm
from . import sales_target_decompose
