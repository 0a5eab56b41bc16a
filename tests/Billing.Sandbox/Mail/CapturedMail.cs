namespace Billing.Sandbox.Mail;

/// <summary>A message the SMTP stand-in accepted, as a mail client would show it.</summary>
public sealed record CapturedMail(
    string? MessageId,
    string From,
    IReadOnlyList<string> To,
    string Subject,
    string? Notification,
    string? Text,
    string? Html,
    DateTimeOffset ReceivedAt);
