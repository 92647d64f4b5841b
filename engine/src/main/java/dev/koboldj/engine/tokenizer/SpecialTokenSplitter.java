package dev.koboldj.engine.tokenizer;

/**
 * Splits raw text around added tokens (GGUF CONTROL, USER_DEFINED and UNKNOWN tokens), as Hugging Face's
 * AddedVocabulary does before normalisation: at each position the longest added token that starts there wins, and
 * the leftmost position wins over later ones. A token marked left-stripping also takes the whitespace before it
 * (back to the previous match), as RoBERTa's and XLM-R's {@code <mask>} does in Hugging Face.
 */
final class SpecialTokenSplitter {
    /** Receives the pieces of a text in order, with where each starts (and a token ends) in the text. */
    interface Sink {
        void text(String segment, int start);

        void token(int id, int start, int end);
    }

    private final CharTrie trie;
    private final java.util.BitSet leftStripping = new java.util.BitSet();

    /** {@code texts[id]} is the text that stands for added token {@code id}; null for the other ids. */
    SpecialTokenSplitter(String[] texts) {
        trie = new CharTrie(64);
        for (int id = 0; id < texts.length; id++) {
            if (texts[id] == null || texts[id].isEmpty()) continue;
            trie.add(texts[id], id);
            if (texts[id].equals("<mask>")) leftStripping.set(id);
        }
    }

    void split(String text, Sink sink) {
        int n = text.length();
        if (trie.isEmpty()) {
            if (n > 0) sink.text(text, 0);
            return;
        }
        int segmentStart = 0;
        int i = 0;
        while (i < n) {
            int node = trie.child(0, text.charAt(i));
            if (node == CharTrie.NONE) {
                i++;
                continue;
            }
            int bestEnd = -1;
            int bestId = -1;
            for (int j = i; ; ) {
                int v = trie.value(node);
                if (v != CharTrie.NONE) {
                    bestEnd = j + 1;
                    bestId = v;
                }
                if (++j >= n) break;
                node = trie.child(node, text.charAt(j));
                if (node == CharTrie.NONE) break;
            }
            if (bestId < 0) {
                i++;
                continue;
            }
            int matchStart = i;
            if (leftStripping.get(bestId)) {
                while (matchStart > segmentStart && BertUnicode.isWhitespace(text.charAt(matchStart - 1))) matchStart--;
            }
            if (segmentStart < matchStart) sink.text(text.substring(segmentStart, matchStart), segmentStart);
            sink.token(bestId, matchStart, bestEnd); // a left-stripping token spans the whitespace it took
            i = bestEnd;
            segmentStart = i;
        }
        if (segmentStart < n) sink.text(segmentStart == 0 ? text : text.substring(segmentStart), segmentStart);
    }
}
