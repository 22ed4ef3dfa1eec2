"""Will disaggregation pay off? Goodput by bisection, the crossover map, the xPyD planner (Qt-free)."""
