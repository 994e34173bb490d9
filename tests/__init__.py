# Imported by Odoo's own runner (odoo-bin --test-enable); the pure-Python modules
# (test_i18n, test_tools_*) need pytest and run under `make test` only.
from . import test_access
from . import test_adjust_tour
from . import test_adjustment
from . import test_adjustment_access
from . import test_adjustment_concurrency
from . import test_allocation
from . import test_customer_types
from . import test_decompose
from . import test_decompose_gaps
from . import test_decomposition_job
from . import test_demo
from . import test_engine
from . import test_feasibility
from . import test_feasibility_access
from . import test_horizons
from . import test_ledger
from . import test_measures
from . import test_monitoring
from . import test_monitoring_access
from . import test_period_close
from . import test_plan_workflow
from . import test_reallocation
from . import test_report_agreement
from . import test_target_model
from . import test_tour
