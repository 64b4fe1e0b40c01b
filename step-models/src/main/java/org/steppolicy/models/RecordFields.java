package org.steppolicy.models;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A record's components as the map meta.json stores: snake_case keys in declaration order (Jackson orders a record's
 * properties by its canonical constructor), values as JSON reads them back (numbers, booleans, strings, lists, null).
 * Records whose every component is a key use this, so a key is spelled once, by the component's name.
 */
public final class RecordFields {
    private static final ObjectMapper SNAKE = new ObjectMapper().setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE);

    private RecordFields() {}

    public static Map<String, Object> of(Record r) {
        return SNAKE.convertValue(r, new TypeReference<LinkedHashMap<String, Object>>() {});
    }
}
