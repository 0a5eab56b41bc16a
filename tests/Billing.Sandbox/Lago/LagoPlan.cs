namespace Billing.Sandbox.Lago;

/// <summary>A Lago plan with its base amount, so an upgrade (applied now) can be told from a downgrade (at period end).</summary>
public sealed record LagoPlan(string Code, long AmountCents, string Interval)
{
    public long YearlyAmountCents => Interval switch
    {
        "yearly" => AmountCents,
        "quarterly" => AmountCents * 4,
        "weekly" => AmountCents * 52,
        _ => AmountCents * 12,
    };
}
