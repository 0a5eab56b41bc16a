using System.Globalization;
using MimeKit;
using Microsoft.Extensions.Configuration;

namespace Billing.Infrastructure.Configuration;

/// <summary>The mail server users are e-mailed through (SMTP_*); e-mail is off while SMTP_HOST is unset.</summary>
public sealed class SmtpOptions
{
    public string? Host { get; init; }

    public int Port { get; init; } = 587;

    public string? Username { get; init; }

    public string? Password { get; init; }

    public MailboxAddress? Sender { get; init; }

    public bool Enabled => Host is not null;

    public static SmtpOptions From(IConfiguration c)
    {
        var host = Settings.Read(c, "SMTP_HOST", "Smtp:Host");
        if (host is null)
        {
            return new SmtpOptions();
        }

        var port = 587;
        if (Settings.Read(c, "SMTP_PORT", "Smtp:Port") is { } rawPort &&
            (!int.TryParse(rawPort, NumberStyles.None, CultureInfo.InvariantCulture, out port) || port is < 1 or > 65535))
        {
            throw new SettingException("SMTP_PORT", "must be a port number (1-65535)");
        }

        var from = Settings.Read(c, "SMTP_FROM", "Smtp:From")
            ?? throw new SettingException("SMTP_FROM", "is required when SMTP_HOST is set (the sender users see, e.g. Billing <billing@example.com>)");
        if (!MailboxAddress.TryParse(from, out var sender))
        {
            throw new SettingException("SMTP_FROM", "must be an e-mail address, optionally with a name: Billing <billing@example.com>");
        }

        var username = Settings.Read(c, "SMTP_USERNAME", "Smtp:Username");
        var password = Settings.Read(c, "SMTP_PASSWORD", "Smtp:Password");
        if ((username is null) != (password is null))
        {
            throw new SettingException(username is null ? "SMTP_USERNAME" : "SMTP_PASSWORD", "is required with the other: SMTP_USERNAME and SMTP_PASSWORD go together");
        }

        return new SmtpOptions { Host = host, Port = port, Username = username, Password = password, Sender = sender };
    }
}
