"""Trade-in: shoppers sell their old device to the refurbishers, who bid for it.

Owns the refurbishers' bid grids (model configuration × condition × market), the condition
questionnaire, quotes (the bids of the moment, kept 14 days) and the per-market and per-seller
trade-in settings. Asks the catalog for models and configurations, the sellers for who may bid,
and the sites for markets and their currency.
"""
