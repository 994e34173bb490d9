from . import generate
from . import close_generate
from . import adjustment_generate
from . import feasibility_generate
