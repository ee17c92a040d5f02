// n8n finds this package's node and credential through the "n8n" section of package.json, not
// through this entry point; it exists so `require('n8n-nodes-piggy')` resolves.
module.exports = {};
