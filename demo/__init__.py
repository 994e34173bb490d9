from . import generate
from . import close_generate
from . import adjustment_generate
from . import incentive_generate
from . import training_generate
from . import customer_generate
from . import team_generate
from . import feasibility_generate
