from . import sales_target_plan_split
from . import sales_target_plan_confirm
from . import sales_target_decompose_members
from . import sales_target_decompose_weights
from . import sales_target_decompose
from . import sales_target_decompose_line
