from . import measures  # noqa: F401
from . import res_company
from . import res_config_settings
from . import sales_target_region
from . import sales_target_kpi
from . import sales_target_plan
from . import sales_target
from . import sales_target_actuals
from . import crm_team
