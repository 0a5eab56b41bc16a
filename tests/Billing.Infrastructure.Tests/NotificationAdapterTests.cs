using Billing.Application.Notifications;
using Billing.Application.Ports;
using Billing.Application.Common.Results;
using Billing.Infrastructure.Notifications;
using Billing.Sandbox.Mail;
using Microsoft.Extensions.DependencyInjection;

namespace Billing.Infrastructure.Tests;

/// <summary>The SMTP adapter against the mail server stand-in, and the templates it renders.</summary>
public sealed class NotificationAdapterTests
{
    private static readonly Dictionary<string, string> Values = new()
    {
        ["tier"] = "Professional",
        ["url"] = "https://pay.example/in_1?a=1&b=2",
        ["billing_url"] = "https://app.example/billing",
        ["due_date"] = "4 December 2026",
        ["period_end"] = "1 December 2026",
        ["user_id"] = "kc-1",
        ["invoice_id"] = "in_1",
        ["new_plan"] = "Starter (yearly)",
        ["change_date"] = "1 January 2027",
    };

    private static async Task<(SmtpStandIn Mail, Adapters Adapters)> StartAsync(Dictionary<string, string?>? extra = null)
    {
        var mail = new SmtpStandIn();
        await mail.StartAsync(0, 0);
        var settings = new Dictionary<string, string?>
        {
            ["SMTP_HOST"] = "127.0.0.1",
            ["SMTP_PORT"] = mail.SmtpPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["SMTP_FROM"] = "Billing <billing@example.com>",
        };
        foreach (var (k, v) in extra ?? [])
        {
            settings[k] = v;
        }

        return (mail, await Adapters.CreateAsync(Database.Sqlite, settings));
    }

    [Test]
    public void Every_notice_has_a_subject_a_text_and_an_html_body_with_every_placeholder_filled(
        [Values] NotificationKind kind)
    {
        var rendered = NotificationTemplates.Render(kind, Values);

        Assert.That(rendered.Subject, Is.Not.Empty.And.Not.Contain("{{"));
        Assert.That(rendered.Text, Is.Not.Empty.And.Not.Contain("{{"));
        Assert.That(rendered.Html, Does.StartWith("<p>").And.Not.Contain("{{"));
    }

    [Test]
    public void Values_are_encoded_in_the_html_body_and_kept_to_one_line_in_the_subject()
    {
        var rendered = NotificationTemplates.Render(NotificationKind.PaymentFailed, new Dictionary<string, string>(Values) { ["tier"] = "<b>Pro</b>\r\nBcc: x@evil.example" });

        Assert.That(rendered.Html, Does.Contain("&lt;b&gt;Pro&lt;/b&gt;").And.Contain("a=1&amp;b=2"));
        Assert.That(rendered.Subject, Does.Not.Contain("\n").And.Not.Contain("\r"));
    }

    [Test]
    public async Task A_notice_is_sent_with_login_as_text_and_html_from_the_configured_sender()
    {
        var (mail, adapters) = await StartAsync(new() { ["SMTP_USERNAME"] = "mailer", ["SMTP_PASSWORD"] = "s3cret" });
        mail.Credentials = ("mailer", "s3cret");
        await using (mail)
        await using (adapters)
        {
            var sender = adapters.Services.GetRequiredService<INotificationSender>();

            var sent = await sender.SendAsync(new OutgoingEmail(NotificationKind.PaymentFailed, "ada@example.com", Values, "key-1"), default);
            var again = await sender.SendAsync(new OutgoingEmail(NotificationKind.PaymentFailed, "ada@example.com", Values, "key-1"), default);

            Assert.That(sent.IsSuccess, Is.True, sent.Error?.Detail);
            Assert.That(sent.Value, Does.Contain("a***@example.com").And.Not.Contain("ada@"), "the outcome does not spell the address out");
            var message = mail.Messages[0];
            Assert.That(message.From, Is.EqualTo("billing@example.com"));
            Assert.That(message.To, Is.EqualTo(new[] { "ada@example.com" }));
            Assert.That(message.Notification, Is.EqualTo("payment_failed"));
            Assert.That(message.Text, Does.Contain("https://pay.example/in_1?a=1&b=2"));
            Assert.That(message.Html, Does.Contain("href=\"https://pay.example/in_1?a=1&amp;b=2\""));
            Assert.That(mail.Messages[1].MessageId, Is.EqualTo(message.MessageId), "a resend of the same notice is recognisable as the same message");
        }
    }

    [Test]
    public async Task A_refusal_is_permanent_a_server_that_is_down_is_transient_and_wrong_credentials_are_a_setting_error()
    {
        var (mail, adapters) = await StartAsync(new() { ["SMTP_USERNAME"] = "mailer", ["SMTP_PASSWORD"] = "wrong" });
        await using (mail)
        await using (adapters)
        {
            var sender = adapters.Services.GetRequiredService<INotificationSender>();
            var email = new OutgoingEmail(NotificationKind.TrialEnding, "ada@example.com", Values, "key-2");

            mail.Credentials = ("mailer", "right");
            var badLogin = await sender.SendAsync(email, default);
            mail.Credentials = ("mailer", "wrong");
            mail.Refusal = "554 5.7.1 Message rejected";
            var refused = await sender.SendAsync(email, default);
            mail.Refusal = null;
            mail.Unavailable = true;
            var down = await sender.SendAsync(email, default);

            Assert.That(badLogin.Error!.Kind, Is.EqualTo(ErrorKind.NotConfigured));
            Assert.That(refused.Error!.Kind, Is.EqualTo(ErrorKind.Validation));
            Assert.That(refused.Error.Detail, Does.Contain("554"));
            Assert.That(down.Error!.Kind, Is.EqualTo(ErrorKind.UpstreamUnavailable));
            Assert.That(mail.Messages, Is.Empty);
        }
    }

    [Test]
    public void Without_SMTP_HOST_email_is_off_and_SMTP_FROM_is_required_with_it()
    {
        var off = Billing.Infrastructure.Configuration.SmtpOptions.From(Config(new()));
        var missingFrom = Assert.Throws<Billing.Infrastructure.Configuration.SettingException>(() => Billing.Infrastructure.Configuration.SmtpOptions.From(Config(new() { ["SMTP_HOST"] = "mail.example" })));
        var badPort = Assert.Throws<Billing.Infrastructure.Configuration.SettingException>(() => Billing.Infrastructure.Configuration.SmtpOptions.From(Config(new() { ["SMTP_HOST"] = "mail.example", ["SMTP_FROM"] = "b@example.com", ["SMTP_PORT"] = "70000" })));

        Assert.That(off.Enabled, Is.False);
        Assert.That(missingFrom!.Message, Does.Contain("SMTP_FROM"));
        Assert.That(badPort!.Message, Does.Contain("SMTP_PORT"));

        static Microsoft.Extensions.Configuration.IConfiguration Config(Dictionary<string, string?> values) =>
            Microsoft.Extensions.Configuration.MemoryConfigurationBuilderExtensions.AddInMemoryCollection(new Microsoft.Extensions.Configuration.ConfigurationBuilder(), values).Build();
    }
}
