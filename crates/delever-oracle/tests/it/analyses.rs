//! Section 5 on small cases: goal seek, feasibility and Monte Carlo, engine against oracle.
