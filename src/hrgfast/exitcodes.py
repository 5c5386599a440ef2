"""The official grouper's exit codes, and the error that carries one.

Data errors never change the exit code (they become UZ01Z and quality messages);
only problems with the command line, the RDF, the input or the output do.
"""

from __future__ import annotations

OK = 0
UNKNOWN_SWITCH = 1
UNKNOWN_PARAMETER = 2
RDF_BLANK = 3
INPUT_BLANK = 4
OUTPUT_BLANK = 5
UNKNOWN_LOGIC = 6
PROCESSING = 7
SET_LOGIC = 8
OUTPUT = 9
RDF = 10
INPUT = 11

MEANING = {
    OK: "success",
    UNKNOWN_SWITCH: "unknown switch",
    UNKNOWN_PARAMETER: "unknown parameter",
    RDF_BLANK: "RDF file name is blank",
    INPUT_BLANK: "input file name is blank",
    OUTPUT_BLANK: "output file name is blank",
    UNKNOWN_LOGIC: "unknown grouping logic",
    PROCESSING: "processing failure",
    SET_LOGIC: "failed to set the grouping logic",
    OUTPUT: "output file error",
    RDF: "RDF file error",
    INPUT: "input file error",
}


class GrouperError(Exception):
    """A run-stopping problem, with the official exit code it maps to."""

    def __init__(self, code: int, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message

    def __str__(self) -> str:
        return self.message
