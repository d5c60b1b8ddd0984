-- Published inference shares of compute or of a vendor's revenue.
SELECT segment, year, value, low, high, measure, scope, source_id, is_forecast, vendor_id, period_note
FROM market_estimates
WHERE measure IN ('compute_share_pct', 'vendor_revenue_mix_pct') AND segment = 'inference'
ORDER BY measure, year
