"""Sister City Atlas: the data layer (no Dash here).

Tables in a data directory -> validated, typed pandas frames -> filters -> Plotly figures.
"""

from atlas.errors import AtlasError, DataError, Problem, ValidationFailed

__all__ = ["AtlasError", "DataError", "Problem", "ValidationFailed"]
