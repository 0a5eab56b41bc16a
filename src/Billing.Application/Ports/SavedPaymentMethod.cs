using Billing.Application.Common;
using Billing.Domain.Plans;

namespace Billing.Application.Ports;

/// <summary>
/// A way to pay the customer saved: a card (<see cref="Type"/> <c>card</c>, its brand and expiry) or a bank account
/// for debits (<c>sepa_debit</c>, <c>us_bank_account</c>, <c>bacs_debit</c>: no expiry); the last four digits either way.
/// </summary>
public sealed record SavedPaymentMethod(string Id, string Brand, string Last4, int? ExpiryMonth, int? ExpiryYear, bool IsDefault, string Type = WaysToPay.Card);
