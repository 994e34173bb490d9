from . import demo
from . import controllers
from . import models
from . import tools
from . import wizards
