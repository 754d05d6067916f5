// An API whose origin callback trusts every host that ends in the company's
// domain, with credentials: https://evilexample.com passes the test.
const express = require('express');
const cors = require('cors');

const app = express();

app.use(cors({
  origin(origin, callback) {
    if (!origin || origin.endsWith('example.com')) {
      callback(null, true);
    } else {
      callback(new Error('origin not allowed'));
    }
  },
  credentials: true,
}));

app.get('/api/account', (req, res) => {
  res.json({ name: 'demo' });
});

app.listen(Number(process.env.PORT), '127.0.0.1');
