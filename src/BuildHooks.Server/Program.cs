using BuildHooks.Server;

var app = await BuildHooksApp.CreateAsync(args);
return await BuildHooksApp.RunAsync(app);
