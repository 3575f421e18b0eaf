using BuildHooks.Server;

var app = await BuildHooksApp.CreateAsync(args);
await app.RunAsync();
