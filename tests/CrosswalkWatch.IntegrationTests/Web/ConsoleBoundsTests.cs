using System.Net;

namespace CrosswalkWatch.IntegrationTests.Web;

/// <summary>Bounded work for every request (issue 12), against a real <c>cww serve</c> over HTTP.</summary>
public sealed class ConsoleBoundsTests
{
    [Fact]
    public async Task Snapshot_ManyViewersAtOnce_ShareOneGrab()
    {
        await using var server = new ConsoleServer();
        await server.AddAccountsAsync();
        var config = server.Folder.File("cww.yaml");
        await File.WriteAllTextAsync(config, $"""
            site:
              id: bounds-test
            paths:
              data: data
            messaging:
              broker: none
            cameras:
              - id: cam1
                url: {TestAssets.CrosswalkFootage}
            """);
        await server.StartAsync(config);
        using var http = await server.SignedInClientAsync("operator");

        // Eight viewers ask at once: one ffmpeg grab serves them all (one taken-at time, the same picture).
        var responses = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => http.GetAsync(new Uri("/api/cameras/cam1/snapshot.jpg", UriKind.Relative))));
        try
        {
            Assert.All(responses, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
            var taken = responses.Select(r => Assert.Single(r.Headers.GetValues(CrosswalkWatch.Web.Operators.OperatorEndpoints.SnapshotAtHeader))).Distinct().ToList();
            Assert.Single(taken);
            var pictures = await Task.WhenAll(responses.Select(r => r.Content.ReadAsByteArrayAsync()));
            Assert.True(pictures[0].Length > 1000 && pictures[0][0] == 0xFF && pictures[0][1] == 0xD8, "a JPEG");
            Assert.All(pictures, p => Assert.Equal(pictures[0], p));
        }
        finally
        {
            foreach (var response in responses)
            {
                response.Dispose();
            }
        }
    }
}
