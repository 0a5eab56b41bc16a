namespace Billing.Infrastructure.Keycloak;

/// <summary>
/// What the service knows of the realm's user profile. Only a profile that declares every billing attribute is
/// remembered, for a short while, so a burst of deliveries reads it once; an answer that some are missing is never
/// kept, so a retry or a replay after <c>keycloak setup</c> (run anywhere) asks Keycloak again. Which kind of realm
/// it is (declarative user profile or none) is remembered to say it once in the log.
/// </summary>
internal sealed class KeycloakProfileCache(TimeProvider clock)
{
    public static readonly TimeSpan Period = TimeSpan.FromSeconds(30);
    private DateTimeOffset? _allDeclaredAt;
    private bool? _declarative;

    public bool AllDeclared => _allDeclaredAt is { } at && clock.GetUtcNow() - at < Period;

    /// <summary>Whether the realm has a declarative user profile, as last seen; null before the first look.</summary>
    public bool? Declarative => _declarative;

    public void RememberAllDeclared() => _allDeclaredAt = clock.GetUtcNow();

    public void Forget() => _allDeclaredAt = null;

    /// <summary>Notes the kind of realm seen; true when it is news (the first look, or the realm changed kind).</summary>
    public bool NoteKind(bool declarative)
    {
        var news = _declarative != declarative;
        _declarative = declarative;
        return news;
    }
}
