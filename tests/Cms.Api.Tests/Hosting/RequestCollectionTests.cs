using System.Text.RegularExpressions;

namespace Cms.Api.Tests.Hosting;

/// <summary>docs/cms.http (for REST Client, Rider and Visual Studio) has a request for every operation of the document.</summary>
public sealed class RequestCollectionTests : ApiTest
{
    [Test]
    public async Task Every_operation_has_a_request_that_sends_the_key_where_one_is_needed()
    {
        var document = JsonNode.Parse(await Public.GetStringAsync("/swagger/v1/swagger.json"))!;
        var requests = (await File.ReadAllTextAsync(RepositoryFiles.Path("docs", "cms.http"))).Split("\n###").Skip(1).ToList();
        var operations = document["paths"]!.AsObject()
            .SelectMany(path => path.Value!.AsObject().Select(op => (Method: op.Key.ToUpperInvariant(), Path: path.Key, Operation: op.Value!)))
            .ToList();

        Assert.That(operations, Is.Not.Empty);
        Assert.Multiple(() =>
        {
            foreach (var (method, path, operation) in operations)
            {
                var line = new Regex($@"^{method} \{{\{{baseUrl\}}\}}{Regex.Replace(Regex.Escape(path), @"\\\{[^}]+}", @"[^/?\s]+")}(\?\S*)?$", RegexOptions.Multiline);
                var request = requests.FirstOrDefault(r => line.IsMatch(r));
                Assert.That(request, Is.Not.Null, $"{method} {path} ({operation["operationId"]}) is in docs/cms.http");
                var keyed = operation["security"]?.AsArray().Count > 0;
                Assert.That(request?.Contains("Authorization: Bearer {{key}}", StringComparison.Ordinal), Is.EqualTo(keyed), $"{method} {path} sends the key only where it is needed");
            }
        });
    }
}
