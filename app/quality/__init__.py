"""Quality: failure rates of sold units, measured honestly, and what they steer.

- `stats`: the statistics alone (Beta-prior shrinkage toward the parent cell, a 95 % interval,
  the minimum sample), pure functions tested on exact small cases;
- `rates`: the daily recomputation (`flask worker`): one set-based SQL aggregate over every sold
  unit whose cohort has matured, then the cuts (seller, model, grade, model × grade, seller × model
  × grade) stored in `quality_rate`;
- `models`: the stored rates and the per-market weights of reliability in the best offer
  (`app.offers.best` reads both in its one SQL ordering).

It reads after-sales' tables (deliveries, units, claims, returns, withdrawals) and never writes them.
"""
