namespace Billing.Domain.Accounts.Events;

/// <summary>
/// Something that happened to a billing account, in billing terms, recorded by <see cref="BillingAccount"/> as it
/// accepts a change. What each kind sends where (Keycloak, Lago, the revenue ledger) is decided in one place in
/// Application; the store writes those rows in the transaction that saves the change.
/// </summary>
public abstract record AccountEvent(string UserId, DateTimeOffset OccurredAt);
