"""Point-in-time feature tables, the as-of training-set join, and the baselines that use them."""
