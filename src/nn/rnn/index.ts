// The recurrent layers: nn re-exports these.
export { RNNBase, type RNNBaseOptions } from "./base.js";
export { RNN, LSTM, GRU, type RNNInput, type RNNOutput } from "./modules.js";
export { RNNCellBase, RNNCell, LSTMCell, GRUCell, type RNNCellOptions } from "./cells.js";
