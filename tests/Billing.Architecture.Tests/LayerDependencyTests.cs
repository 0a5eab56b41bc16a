using System.Reflection;
using System.Xml.Linq;

namespace Billing.Architecture.Tests;

/// <summary>
/// The dependency rule, checked twice: in the compiled assemblies (what the code really uses) and in the project
/// files (what a layer declares, even before any code uses it).
/// </summary>
public sealed class LayerDependencyTests
{
    private static readonly Assembly Domain = typeof(Billing.Domain.Accounts.BillingAccount).Assembly;
    private static readonly Assembly Application = typeof(Billing.Application.DependencyInjection).Assembly;
    private static readonly Assembly Infrastructure = typeof(Billing.Infrastructure.DependencyInjection).Assembly;

    /// <summary>What Application may use besides the BCL and Domain: the mediator, validation and the extension abstractions.</summary>
    private static readonly string[] ApplicationAllowed =
    [
        "Billing.Domain", "Mediator", "FluentValidation", "Microsoft.Extensions.DependencyInjection.Abstractions",
        "Microsoft.Extensions.Logging.Abstractions", "Microsoft.Extensions.Options", "Microsoft.Extensions.Primitives",
    ];

    private static readonly string[] OutsideLibraries = ["Stripe", "Refit", "Microsoft.EntityFrameworkCore", "Npgsql", "Microsoft.AspNetCore", "Microsoft.Data.Sqlite", "System.Net.Http"];

    private static bool IsBcl(AssemblyName name) =>
        name.Name is "System.Runtime" or "netstandard" or "mscorlib" or "System.Private.CoreLib" ||
        (name.Name!.StartsWith("System.", StringComparison.Ordinal) && name.Name != "System.Net.Http");

    [Test]
    public void Domain_uses_nothing_but_the_base_class_library()
    {
        var outside = Domain.GetReferencedAssemblies().Where(a => !IsBcl(a)).Select(a => a.Name);

        Assert.That(outside, Is.Empty);
        Assert.That(ProjectDependencies("Billing.Domain"), Is.Empty);
    }

    [Test]
    public void Application_uses_only_Domain_and_its_abstractions()
    {
        var outside = Application.GetReferencedAssemblies()
            .Where(a => !IsBcl(a) && !ApplicationAllowed.Any(allowed => a.Name!.StartsWith(allowed, StringComparison.Ordinal)))
            .Select(a => a.Name);

        Assert.That(outside, Is.Empty);
    }

    [Test]
    public void Application_declares_no_reference_to_Stripe_EF_Core_Refit_or_ASP_NET()
    {
        var declared = ProjectDependencies("Billing.Application");

        Assert.That(declared.Where(d => OutsideLibraries.Any(o => d.StartsWith(o, StringComparison.OrdinalIgnoreCase) || d.Contains("Infrastructure", StringComparison.Ordinal) || d.Contains("Billing.Api", StringComparison.Ordinal))), Is.Empty);
        Assert.That(declared.Where(d => d.StartsWith("Billing.", StringComparison.Ordinal)), Is.EqualTo(new[] { "Billing.Domain" }));
    }

    [Test]
    public void Infrastructure_does_not_reach_up_into_the_Api()
    {
        Assert.That(Infrastructure.GetReferencedAssemblies().Select(a => a.Name), Does.Not.Contain("Billing.Api"));
        Assert.That(ProjectDependencies("Billing.Infrastructure").Where(d => d.StartsWith("Billing.", StringComparison.Ordinal)), Is.EqualTo(new[] { "Billing.Application" }));
    }

    [Test]
    public void No_port_is_wider_than_twelve_methods()
    {
        // A port mirrors one area of a counterpart, so a handler's mock is as narrow as what it asks.
        var wide = Application.GetTypes()
            .Where(t => t.IsInterface && t.Namespace == "Billing.Application.Ports")
            .Select(t => (t.Name, Methods: t.GetMethods().Count(m => !m.IsSpecialName)))
            .Where(p => p.Methods > 12)
            .Select(p => $"{p.Name} ({p.Methods})");

        Assert.That(wide, Is.Empty);
    }

    [Test]
    public void No_class_takes_more_than_eight_dependencies()
    {
        // A handler asks only for what it needs; one that needs more is doing the work of several.
        static bool IsRecord(Type t) => t.GetMethod("<Clone>$") is not null;
        static bool IsDependency(Type t) => (t.IsInterface || (t.IsClass && t != typeof(string) && !IsRecord(t))) && !t.IsArray;
        var heavy = new[] { Application, Infrastructure, typeof(Billing.Api.Controllers.BillingControllerBase).Assembly }
            .SelectMany(a => a.GetTypes())
            .Where(t => t is { IsClass: true, IsAbstract: false } && !IsRecord(t) && !t.Name.Contains('<', StringComparison.Ordinal) && !(t.Namespace ?? string.Empty).Contains("Migrations", StringComparison.Ordinal))
            .SelectMany(t => t.GetConstructors(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance).Select(c => (t.FullName, Count: c.GetParameters().Count(p => IsDependency(p.ParameterType)))))
            .Where(c => c.Count > 8)
            .Select(c => $"{c.FullName} ({c.Count})")
            .Distinct();

        Assert.That(heavy, Is.Empty);
    }

    [Test]
    public void Application_and_Domain_name_no_Stripe_event_type()
    {
        // Stripe's events are read at the edge into typed messages; their type names stay in Infrastructure.
        var eventType = new System.Text.RegularExpressions.Regex("\"(checkout\\.session|customer|invoice|charge|refund|payment_intent|setup_intent)\\.[a-z_.]+\"");
        var named = new[] { "Billing.Application", "Billing.Domain" }
            .SelectMany(project => Directory.EnumerateFiles(Path.Combine(RepositoryRoot(), "src", project), "*.cs", SearchOption.AllDirectories))
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .SelectMany(f => File.ReadLines(f).Select((line, i) => (File: Path.GetFileName(f), Line: i + 1, Text: line)))
            .Where(l => eventType.IsMatch(l.Text))
            .Select(l => $"{l.File}:{l.Line}");

        Assert.That(named, Is.Empty);
    }

    [Test]
    public void Application_and_Domain_spell_no_Stripe_status_interval_or_duration()
    {
        // Stripe's words for an invoice, refund or dispute status, a price's interval and a coupon's duration are read
        // into the domain's enums at the edge (Infrastructure/Stripe); the code of a state is derived from its name.
        var wireWord = new System.Text.RegularExpressions.Regex("\"(draft|open|paid|uncollectible|void|month|year|once|repeating|forever|requires_action|needs_response|under_review|warning_needs_response|warning_under_review|warning_closed|won|lost|prevented)\"");
        var spelled = new[] { "Billing.Application", "Billing.Domain" }
            .SelectMany(project => Directory.EnumerateFiles(Path.Combine(RepositoryRoot(), "src", project), "*.cs", SearchOption.AllDirectories))
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .SelectMany(f => File.ReadLines(f).Select((line, i) => (File: Path.GetFileName(f), Line: i + 1, Text: line)))
            .Where(l => !l.Text.TrimStart().StartsWith("///", StringComparison.Ordinal) && wireWord.IsMatch(l.Text))
            .Select(l => $"{l.File}:{l.Line}: {l.Text.Trim()}");

        Assert.That(spelled, Is.Empty);
    }

    [Test]
    public void No_ambient_state_and_no_query_that_sends_a_command()
    {
        var assemblies = new[] { Domain, Application, Infrastructure, typeof(Billing.Api.Controllers.BillingControllerBase).Assembly };
        var ambient = assemblies.SelectMany(a => a.GetTypes())
            .SelectMany(t => t.GetFields(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static | BindingFlags.Instance | BindingFlags.DeclaredOnly).Select(f => (t, f)))
            .Where(x => x.f.FieldType.IsGenericType && x.f.FieldType.GetGenericTypeDefinition() == typeof(AsyncLocal<>))
            .Select(x => $"{x.t.FullName}.{x.f.Name}");
        var sendingQueries = Application.GetTypes()
            .Where(t => t.GetInterfaces().Any(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(Mediator.IQueryHandler<,>)))
            .Where(t => t.GetConstructors().Any(c => c.GetParameters().Any(p => p.ParameterType == typeof(Mediator.ISender) || p.ParameterType == typeof(Mediator.IMediator) || p.ParameterType == typeof(Billing.Application.Ports.IUnitOfWork))))
            .Select(t => t.FullName);

        Assert.That(ambient, Is.Empty);
        Assert.That(sendingQueries, Is.Empty);
    }

    [Test]
    public void Common_holds_at_most_a_quarter_of_Application()
    {
        // What is shared by everything lives in Common; what belongs to an area lives with it.
        static int Lines(string folder) => Directory.EnumerateFiles(folder, "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal) && !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .Sum(f => File.ReadLines(f).Count());
        var application = Path.Combine(RepositoryRoot(), "src", "Billing.Application");

        Assert.That(Lines(Path.Combine(application, "Common")), Is.LessThanOrEqualTo(Lines(application) / 4));
    }

    [Test]
    public void Every_port_of_Application_has_an_adapter_in_Infrastructure()
    {
        var ports = Application.GetTypes().Where(t => t.IsInterface && t.Namespace == "Billing.Application.Ports").ToList();
        var adapters = Infrastructure.GetTypes().Where(t => t is { IsClass: true, IsAbstract: false }).ToList();

        Assert.That(ports, Is.Not.Empty);
        foreach (var port in ports)
        {
            Assert.That(adapters.Any(port.IsAssignableFrom), Is.True, $"{port.Name} has no adapter");
        }
    }

    [Test]
    public void No_Stripe_type_crosses_a_port()
    {
        var ports = Application.GetTypes().Where(t => t.Namespace?.StartsWith("Billing.Application", StringComparison.Ordinal) == true);
        var leaks = ports
            .SelectMany(t => t.GetMembers(BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static))
            .SelectMany(m => m switch
            {
                MethodInfo method => method.GetParameters().Select(p => p.ParameterType).Append(method.ReturnType),
                PropertyInfo property => [property.PropertyType],
                _ => [],
            })
            .Where(t => t.Assembly.GetName().Name is "Stripe.net" or "Refit" || t.Namespace?.StartsWith("Microsoft.EntityFrameworkCore", StringComparison.Ordinal) == true);

        Assert.That(leaks, Is.Empty);
    }

    [Test]
    public void Controllers_only_send_messages()
    {
        var api = typeof(Billing.Api.DependencyInjection).Assembly;
        var controllers = api.GetTypes().Where(t => t.Name.EndsWith("Controller", StringComparison.Ordinal) && !t.IsAbstract);
        var forbidden = controllers.SelectMany(c => c.GetConstructors().SelectMany(ctor => ctor.GetParameters()))
            .Where(p => p.ParameterType != typeof(Mediator.ISender))
            .Select(p => $"{p.Member.DeclaringType!.Name}({p.ParameterType.Name})");

        Assert.That(forbidden, Is.Empty);
    }

    [Test]
    public void Each_layer_has_one_DependencyInjection_entry_point()
    {
        foreach (var (assembly, method) in new[] { (Application, "AddApplication"), (Infrastructure, "AddInfrastructure"), (typeof(Billing.Api.DependencyInjection).Assembly, "AddApi") })
        {
            var entry = assembly.GetTypes().Where(t => t.Name == "DependencyInjection").ToList();
            Assert.That(entry, Has.Count.EqualTo(1), assembly.GetName().Name);
            Assert.That(entry[0].GetMethod(method), Is.Not.Null, $"{assembly.GetName().Name}.{method}");
        }
    }

    /// <summary>Package and project references declared in src/{project}/{project}.csproj.</summary>
    internal static IReadOnlyList<string> ProjectDependencies(string project)
    {
        var file = Path.Combine(RepositoryRoot(), "src", project, $"{project}.csproj");
        return XDocument.Load(file).Descendants()
            .Where(e => e.Name.LocalName is "PackageReference" or "ProjectReference" or "FrameworkReference")
            .Select(e => e.Attribute("Include")!.Value)
            .Select(include => include.EndsWith(".csproj", StringComparison.Ordinal) ? Path.GetFileNameWithoutExtension(include.Replace('\\', '/')) : include)
            .Where(name => !ApplicationAllowed.Any(a => name.StartsWith(a, StringComparison.Ordinal)) || name.StartsWith("Billing.", StringComparison.Ordinal))
            .Where(name => name is not ("Riok.Mapperly" or "Mediator.SourceGenerator"))
            .ToList();
    }

    [Test]
    public void The_inbox_and_outbox_leases_stay_behind_their_ports()
    {
        // Claiming, completing and releasing belong to IWebhookInbox and ISyncOutbox: no handler sets a lock column,
        // and no Application type carries one or names the persistence records that do.
        var leaseMembers = Application.GetTypes()
            .SelectMany(t => t.GetProperties(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static).Select(p => $"{t.Name}.{p.Name}"))
            .Where(name => name.EndsWith(".LockedBy", StringComparison.Ordinal) || name.EndsWith(".LockedUntil", StringComparison.Ordinal));
        var sourceMentions = Directory.EnumerateFiles(Path.Combine(RepositoryRoot(), "src", "Billing.Application"), "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .SelectMany(f => File.ReadLines(f).Select((line, i) => (File: Path.GetFileName(f), Line: i + 1, Text: line)))
            .Where(l => System.Text.RegularExpressions.Regex.IsMatch(l.Text, @"\b(LockedBy|LockedUntil|StripeEventRecord|SyncMessage|IdempotencyRecord)\b"))
            .Select(l => $"{l.File}:{l.Line}");

        Assert.That(leaseMembers, Is.Empty);
        Assert.That(sourceMentions, Is.Empty);
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Billing.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("Billing.sln not found above the test assembly.");
    }
}
