namespace Billing.Infrastructure.Keycloak;

/// <summary>
/// What the realm's user profile said of the billing attributes, remembered for a short while so that a burst
/// of deliveries reads the profile once; a change made with <c>keycloak setup</c> is seen within the period.
/// </summary>
internal sealed class KeycloakProfileCache(TimeProvider clock)
{
    public static readonly TimeSpan Period = TimeSpan.FromSeconds(30);
    private (DateTimeOffset At, IReadOnlyList<string> Undeclared)? _last;

    public IReadOnlyList<string>? Undeclared => _last is { } last && clock.GetUtcNow() - last.At < Period ? last.Undeclared : null;

    public void Remember(IReadOnlyList<string> undeclared) => _last = (clock.GetUtcNow(), undeclared);

    public void Forget() => _last = null;
}
