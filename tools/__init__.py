# Pure computation, no ORM: plain values in and out, usable and testable without a database.
from . import cube, customer, pacing
