// Serves an Express app module for the browser suite: loads the module
// (which mounts its CORS middleware), adds one catch-all route that answers
// like the suite's upstream, listens on a free loopback port and prints it.
'use strict';

const path = require('path');

const app = require(path.resolve(process.argv[2]));

app.all('/{*splat}', (req, res) => {
  res.set('X-Total-Count', '3');
  res.set('X-Secret', 's');
  res.send('ok');
});

const server = app.listen(0, '127.0.0.1', () => {
  process.stdout.write(`listening ${server.address().port}\n`);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
